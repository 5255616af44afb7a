// Layout pieces shared by the sidebar's components: a row of buttons and a subdued hint.
import { SM } from "@zendeskgarden/react-typography";
import styled from "styled-components";

export const Buttons = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 8px;
`;

export const Hint = styled(SM)`
  color: #68737d;
`;
