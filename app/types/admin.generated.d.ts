/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type DisputeEvidenceQueryVariables = AdminTypes.Exact<{
  orderId: AdminTypes.Scalars['ID']['input'];
  withOrder: AdminTypes.Scalars['Boolean']['input'];
  lineItems: AdminTypes.Scalars['Int']['input'];
  after: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  otherOrders: AdminTypes.Scalars['Int']['input'];
}>;


export type DisputeEvidenceQuery = { shop: (
    Pick<AdminTypes.Shop, 'name' | 'myshopifyDomain' | 'contactEmail'>
    & { primaryDomain: Pick<AdminTypes.Domain, 'url'>, shopPolicies: Array<Pick<AdminTypes.ShopPolicy, 'type' | 'title' | 'body' | 'url'>> }
  ), order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'name' | 'createdAt' | 'processedAt' | 'cancelledAt' | 'note' | 'email' | 'phone' | 'clientIp' | 'requiresShipping' | 'displayFinancialStatus' | 'displayFulfillmentStatus'>
    & { shippingLine: AdminTypes.Maybe<Pick<AdminTypes.ShippingLine, 'title'>>, subtotalPriceSet: AdminTypes.Maybe<{ presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalShippingPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalTaxSet: AdminTypes.Maybe<{ presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalDiscountsSet: AdminTypes.Maybe<{ presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalRefundedSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, billingAddress: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'zip' | 'country' | 'phone'>>, shippingAddress: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'zip' | 'country' | 'phone'>>, lineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
        Pick<AdminTypes.LineItem, 'title' | 'variantTitle' | 'sku' | 'quantity'>
        & { originalUnitPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountedTotalSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
      )> }, fulfillments: Array<(
      Pick<AdminTypes.Fulfillment, 'name' | 'status' | 'displayStatus' | 'createdAt' | 'inTransitAt' | 'deliveredAt' | 'estimatedDeliveryAt'>
      & { trackingInfo: Array<Pick<AdminTypes.FulfillmentTrackingInfo, 'company' | 'number' | 'url'>> }
    )>, transactions: Array<(
      Pick<AdminTypes.OrderTransaction, 'kind' | 'status' | 'gateway' | 'processedAt'>
      & { amountSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, paymentDetails: AdminTypes.Maybe<Pick<AdminTypes.CardPaymentDetails, 'avsResultCode' | 'cvvResultCode' | 'company' | 'number'>> }
    )>, customer: AdminTypes.Maybe<(
      Pick<AdminTypes.Customer, 'id' | 'displayName' | 'createdAt' | 'numberOfOrders'>
      & { defaultEmailAddress: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>>, orders: { nodes: Array<(
          Pick<AdminTypes.Order, 'id' | 'name' | 'processedAt' | 'displayFinancialStatus' | 'displayFulfillmentStatus'>
          & { totalPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
        )> } }
    )> }
  )> };

export type PresentmentFragment = { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> };

export type AddressFragment = Pick<AdminTypes.MailingAddress, 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'zip' | 'country' | 'phone'>;

export type DeclineRecoveryCheckoutsQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type DeclineRecoveryCheckoutsQuery = { abandonedCheckouts: { nodes: Array<(
      Pick<AdminTypes.AbandonedCheckout, 'id' | 'abandonedCheckoutUrl' | 'createdAt' | 'completedAt'>
      & { customer: AdminTypes.Maybe<{ defaultEmailAddress: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>> }> }
    )> } };

export type FlowTriggerReceiveMutationVariables = AdminTypes.Exact<{
  handle: AdminTypes.Scalars['String']['input'];
  payload: AdminTypes.Scalars['JSON']['input'];
}>;


export type FlowTriggerReceiveMutation = { flowTriggerReceive: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type HoldOrderCandidatesQueryVariables = AdminTypes.Exact<{
  nameQuery: AdminTypes.Scalars['String']['input'];
  withName: AdminTypes.Scalars['Boolean']['input'];
  orderId: AdminTypes.Scalars['ID']['input'];
  withId: AdminTypes.Scalars['Boolean']['input'];
  tokenQuery: AdminTypes.Scalars['String']['input'];
  withToken: AdminTypes.Scalars['Boolean']['input'];
  paymentQuery: AdminTypes.Scalars['String']['input'];
  withPayment: AdminTypes.Scalars['Boolean']['input'];
  emailQuery: AdminTypes.Scalars['String']['input'];
  withEmail: AdminTypes.Scalars['Boolean']['input'];
}>;


export type HoldOrderCandidatesQuery = { byName?: { nodes: Array<(
      Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'checkoutToken' | 'email' | 'createdAt' | 'updatedAt'>
      & { totalPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, transactions: Array<Pick<AdminTypes.OrderTransaction, 'paymentId' | 'authorizationCode' | 'receiptJson'>> }
    )> }, byId?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'checkoutToken' | 'email' | 'createdAt' | 'updatedAt'>
    & { totalPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, transactions: Array<Pick<AdminTypes.OrderTransaction, 'paymentId' | 'authorizationCode' | 'receiptJson'>> }
  )>, byToken?: { nodes: Array<(
      Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'checkoutToken' | 'email' | 'createdAt' | 'updatedAt'>
      & { totalPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, transactions: Array<Pick<AdminTypes.OrderTransaction, 'paymentId' | 'authorizationCode' | 'receiptJson'>> }
    )> }, byPayment?: { nodes: Array<(
      Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'checkoutToken' | 'email' | 'createdAt' | 'updatedAt'>
      & { totalPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, transactions: Array<Pick<AdminTypes.OrderTransaction, 'paymentId' | 'authorizationCode' | 'receiptJson'>> }
    )> }, byEmail?: { nodes: Array<(
      Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'checkoutToken' | 'email' | 'createdAt' | 'updatedAt'>
      & { totalPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, transactions: Array<Pick<AdminTypes.OrderTransaction, 'paymentId' | 'authorizationCode' | 'receiptJson'>> }
    )> } };

export type HoldCandidateOrderFragment = (
  Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'checkoutToken' | 'email' | 'createdAt' | 'updatedAt'>
  & { totalPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, transactions: Array<Pick<AdminTypes.OrderTransaction, 'paymentId' | 'authorizationCode' | 'receiptJson'>> }
);

export type HoldOrderStateQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type HoldOrderStateQuery = { order: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'name' | 'cancelledAt' | 'tags'>
    & { fulfillmentOrders: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrder, 'id' | 'status'>
        & { fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'heldByRequestingApp'>> }
      )> }, risk: { assessments: Array<{ provider: AdminTypes.Maybe<Pick<AdminTypes.App, 'apiKey'>>, facts: Array<Pick<AdminTypes.RiskFact, 'description'>> }> } }
  )> };

export type HoldFulfillmentOrderMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  fulfillmentHold: AdminTypes.FulfillmentOrderHoldInput;
}>;


export type HoldFulfillmentOrderMutation = { fulfillmentOrderHold: AdminTypes.Maybe<{ fulfillmentHold: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle'>>, userErrors: Array<Pick<AdminTypes.FulfillmentOrderHoldUserError, 'field' | 'message' | 'code'>> }> };

export type ReleaseFulfillmentOrderHoldMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  holdIds: AdminTypes.InputMaybe<Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input']>;
  externalId: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type ReleaseFulfillmentOrderHoldMutation = { fulfillmentOrderReleaseHold: AdminTypes.Maybe<{ fulfillmentOrder: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentOrder, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.FulfillmentOrderReleaseHoldUserError, 'field' | 'message' | 'code'>> }> };

export type CreateOrderRiskAssessmentMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.OrderRiskAssessmentCreateInput;
}>;


export type CreateOrderRiskAssessmentMutation = { orderRiskAssessmentCreate: AdminTypes.Maybe<{ orderRiskAssessment: AdminTypes.Maybe<Pick<AdminTypes.OrderRiskAssessment, 'riskLevel'>>, userErrors: Array<Pick<AdminTypes.OrderRiskAssessmentCreateUserError, 'field' | 'message' | 'code'>> }> };

export type UntagOrderMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type UntagOrderMutation = { tagsRemove: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type TagOrderMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type TagOrderMutation = { tagsAdd: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type MoneyOrderQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  withLines: AdminTypes.Scalars['Boolean']['input'];
}>;


export type MoneyOrderQuery = { order: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'cancelledAt' | 'displayFinancialStatus' | 'presentmentCurrencyCode' | 'note'>
    & { transactions: Array<(
      Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status' | 'gateway' | 'paymentId' | 'authorizationCode' | 'receiptJson' | 'createdAt' | 'errorCode'>
      & { amountSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, parentTransaction: AdminTypes.Maybe<Pick<AdminTypes.OrderTransaction, 'id'>> }
    )>, lineItems?: { nodes: Array<(
        Pick<AdminTypes.LineItem, 'id' | 'name' | 'sku' | 'quantity' | 'refundableQuantity' | 'unfulfilledQuantity'>
        & { discountedUnitPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
      )> } }
  )> };

export type MoneySuggestedRefundQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  refundLineItems: AdminTypes.InputMaybe<Array<AdminTypes.RefundLineItemInput> | AdminTypes.RefundLineItemInput>;
  suggestFullRefund: AdminTypes.Scalars['Boolean']['input'];
  refundShipping: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
}>;


export type MoneySuggestedRefundQuery = { order: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id'>
    & { suggestedRefund: AdminTypes.Maybe<{ amountSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, maximumRefundableSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, refundLineItems: Array<(
        Pick<AdminTypes.RefundLineItem, 'quantity' | 'restockType'>
        & { lineItem: Pick<AdminTypes.LineItem, 'id'> }
      )>, shipping: { amountSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } } }> }
  )> };

export type MoneyRefundCreateMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.RefundInput;
  key: AdminTypes.Scalars['String']['input'];
}>;


export type MoneyRefundCreateMutation = { refundCreate: AdminTypes.Maybe<{ refund: AdminTypes.Maybe<(
      Pick<AdminTypes.Refund, 'id'>
      & { transactions: { nodes: Array<(
          Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status' | 'errorCode' | 'receiptJson' | 'createdAt'>
          & { amountSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, parentTransaction: AdminTypes.Maybe<Pick<AdminTypes.OrderTransaction, 'id'>> }
        )> } }
    )>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type MoneyTransactionFragment = (
  Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status' | 'errorCode' | 'receiptJson' | 'createdAt'>
  & { amountSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, parentTransaction: AdminTypes.Maybe<Pick<AdminTypes.OrderTransaction, 'id'>> }
);

export type MoneyOrderCaptureMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.OrderCaptureInput;
}>;


export type MoneyOrderCaptureMutation = { orderCapture: AdminTypes.Maybe<{ transaction: AdminTypes.Maybe<Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status' | 'errorCode' | 'receiptJson'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type MoneyTransactionVoidMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type MoneyTransactionVoidMutation = { transactionVoid: AdminTypes.Maybe<{ transaction: AdminTypes.Maybe<Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status' | 'errorCode' | 'receiptJson'>>, userErrors: Array<Pick<AdminTypes.TransactionVoidUserError, 'field' | 'message' | 'code'>> }> };

export type MoneyOrderCancelMutationVariables = AdminTypes.Exact<{
  orderId: AdminTypes.Scalars['ID']['input'];
  reason: AdminTypes.OrderCancelReason;
  refundMethod: AdminTypes.InputMaybe<AdminTypes.OrderCancelRefundMethodInput>;
  restock: AdminTypes.Scalars['Boolean']['input'];
  notifyCustomer: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  staffNote: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type MoneyOrderCancelMutation = { orderCancel: AdminTypes.Maybe<{ job: AdminTypes.Maybe<Pick<AdminTypes.Job, 'id'>>, orderCancelUserErrors: Array<Pick<AdminTypes.OrderCancelUserError, 'field' | 'message' | 'code'>> }> };

export type MoneyTransactionStateQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type MoneyTransactionStateQuery = { node: AdminTypes.Maybe<Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status' | 'errorCode' | 'receiptJson'>> };

export type MoneyOrderNoteReadQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type MoneyOrderNoteReadQuery = { order: AdminTypes.Maybe<Pick<AdminTypes.Order, 'id' | 'note'>> };

export type MoneyOrderNoteMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.OrderInput;
}>;


export type MoneyOrderNoteMutation = { orderUpdate: AdminTypes.Maybe<{ order: AdminTypes.Maybe<Pick<AdminTypes.Order, 'id'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type OrderIndexBackfillQueryVariables = AdminTypes.Exact<{
  first: AdminTypes.Scalars['Int']['input'];
  after: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query: AdminTypes.Scalars['String']['input'];
}>;


export type OrderIndexBackfillQuery = { orders: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
      Pick<AdminTypes.Order, 'id' | 'legacyResourceId' | 'name' | 'checkoutToken' | 'email' | 'createdAt' | 'updatedAt'>
      & { totalPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, transactions: Array<Pick<AdminTypes.OrderTransaction, 'paymentId' | 'authorizationCode' | 'receiptJson'>> }
    )> } };

export type ShopInfoQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type ShopInfoQuery = { shop: Pick<AdminTypes.Shop, 'name' | 'currencyCode' | 'myshopifyDomain' | 'ianaTimezone'> };

export type ZendeskOrderQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  lineItems: AdminTypes.Scalars['Int']['input'];
}>;


export type ZendeskOrderQuery = { order: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'name' | 'createdAt' | 'cancelledAt' | 'displayFinancialStatus' | 'displayFulfillmentStatus'>
    & { totalPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, lineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
        Pick<AdminTypes.LineItem, 'title' | 'variantTitle' | 'quantity'>
        & { originalUnitPriceSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
      )> }, fulfillments: Array<(
      Pick<AdminTypes.Fulfillment, 'displayStatus' | 'status' | 'createdAt' | 'deliveredAt'>
      & { trackingInfo: Array<Pick<AdminTypes.FulfillmentTrackingInfo, 'company' | 'number' | 'url'>> }
    )>, shippingAddress: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'name' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'zip' | 'country'>> }
  )> };

interface GeneratedQueryTypes {
  "#graphql\n  query DisputeEvidence($orderId: ID!, $withOrder: Boolean!, $lineItems: Int!, $after: String, $otherOrders: Int!) {\n    shop {\n      name\n      myshopifyDomain\n      contactEmail\n      primaryDomain {\n        url\n      }\n      shopPolicies {\n        type\n        title\n        body\n        url\n      }\n    }\n    order(id: $orderId) @include(if: $withOrder) {\n      id\n      name\n      createdAt\n      processedAt\n      cancelledAt\n      note\n      email\n      phone\n      clientIp\n      requiresShipping\n      displayFinancialStatus\n      displayFulfillmentStatus\n      shippingLine {\n        title\n      }\n      subtotalPriceSet {\n        ...Presentment\n      }\n      totalShippingPriceSet {\n        ...Presentment\n      }\n      totalTaxSet {\n        ...Presentment\n      }\n      totalDiscountsSet {\n        ...Presentment\n      }\n      totalPriceSet {\n        ...Presentment\n      }\n      totalRefundedSet {\n        ...Presentment\n      }\n      billingAddress {\n        ...Address\n      }\n      shippingAddress {\n        ...Address\n      }\n      lineItems(first: $lineItems, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          title\n          variantTitle\n          sku\n          quantity\n          originalUnitPriceSet {\n            ...Presentment\n          }\n          discountedTotalSet {\n            ...Presentment\n          }\n        }\n      }\n      fulfillments(first: 10) {\n        name\n        status\n        displayStatus\n        createdAt\n        inTransitAt\n        deliveredAt\n        estimatedDeliveryAt\n        trackingInfo(first: 5) {\n          company\n          number\n          url\n        }\n      }\n      transactions(first: 20) {\n        kind\n        status\n        gateway\n        processedAt\n        amountSet {\n          ...Presentment\n        }\n        paymentDetails {\n          ... on CardPaymentDetails {\n            avsResultCode\n            cvvResultCode\n            company\n            number\n          }\n        }\n      }\n      customer {\n        id\n        displayName\n        createdAt\n        numberOfOrders\n        defaultEmailAddress {\n          emailAddress\n        }\n        orders(first: $otherOrders, sortKey: PROCESSED_AT, reverse: true) {\n          nodes {\n            id\n            name\n            processedAt\n            displayFinancialStatus\n            displayFulfillmentStatus\n            totalPriceSet {\n              ...Presentment\n            }\n          }\n        }\n      }\n    }\n  }\n\n  fragment Presentment on MoneyBag {\n    presentmentMoney {\n      amount\n      currencyCode\n    }\n  }\n\n  fragment Address on MailingAddress {\n    name\n    company\n    address1\n    address2\n    city\n    province\n    zip\n    country\n    phone\n  }\n": {return: DisputeEvidenceQuery, variables: DisputeEvidenceQueryVariables},
  "#graphql\n  query DeclineRecoveryCheckouts($query: String!) {\n    abandonedCheckouts(first: 50, query: $query, sortKey: CREATED_AT, reverse: true) {\n      nodes {\n        id\n        abandonedCheckoutUrl\n        createdAt\n        completedAt\n        customer {\n          defaultEmailAddress {\n            emailAddress\n          }\n        }\n      }\n    }\n  }\n": {return: DeclineRecoveryCheckoutsQuery, variables: DeclineRecoveryCheckoutsQueryVariables},
  "#graphql\n  query HoldOrderCandidates(\n    $nameQuery: String!\n    $withName: Boolean!\n    $orderId: ID!\n    $withId: Boolean!\n    $tokenQuery: String!\n    $withToken: Boolean!\n    $paymentQuery: String!\n    $withPayment: Boolean!\n    $emailQuery: String!\n    $withEmail: Boolean!\n  ) {\n    byName: orders(first: 3, query: $nameQuery) @include(if: $withName) {\n      nodes {\n        ...HoldCandidateOrder\n      }\n    }\n    byId: order(id: $orderId) @include(if: $withId) {\n      ...HoldCandidateOrder\n    }\n    byToken: orders(first: 3, query: $tokenQuery) @include(if: $withToken) {\n      nodes {\n        ...HoldCandidateOrder\n      }\n    }\n    byPayment: orders(first: 3, query: $paymentQuery) @include(if: $withPayment) {\n      nodes {\n        ...HoldCandidateOrder\n      }\n    }\n    byEmail: orders(first: 10, query: $emailQuery) @include(if: $withEmail) {\n      nodes {\n        ...HoldCandidateOrder\n      }\n    }\n  }\n\n  fragment HoldCandidateOrder on Order {\n    id\n    legacyResourceId\n    name\n    checkoutToken\n    email\n    createdAt\n    updatedAt\n    totalPriceSet {\n      presentmentMoney {\n        amount\n        currencyCode\n      }\n    }\n    transactions(first: 10) {\n      paymentId\n      authorizationCode\n      receiptJson\n    }\n  }\n": {return: HoldOrderCandidatesQuery, variables: HoldOrderCandidatesQueryVariables},
  "#graphql\n  query HoldOrderState($id: ID!) {\n    order(id: $id) {\n      id\n      name\n      cancelledAt\n      tags\n      fulfillmentOrders(first: 20) {\n        nodes {\n          id\n          status\n          fulfillmentHolds {\n            id\n            handle\n            heldByRequestingApp\n          }\n        }\n      }\n      risk {\n        assessments {\n          provider {\n            apiKey\n          }\n          facts {\n            description\n          }\n        }\n      }\n    }\n  }\n": {return: HoldOrderStateQuery, variables: HoldOrderStateQueryVariables},
  "#graphql\n  query MoneyOrder($id: ID!, $withLines: Boolean!) {\n    order(id: $id) {\n      id\n      legacyResourceId\n      name\n      cancelledAt\n      displayFinancialStatus\n      presentmentCurrencyCode\n      note\n      transactions(first: 100) {\n        id\n        kind\n        status\n        gateway\n        paymentId\n        authorizationCode\n        receiptJson\n        createdAt\n        errorCode\n        amountSet {\n          presentmentMoney {\n            amount\n            currencyCode\n          }\n        }\n        parentTransaction {\n          id\n        }\n      }\n      lineItems(first: 100) @include(if: $withLines) {\n        nodes {\n          id\n          name\n          sku\n          quantity\n          refundableQuantity\n          unfulfilledQuantity\n          discountedUnitPriceSet {\n            presentmentMoney {\n              amount\n              currencyCode\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: MoneyOrderQuery, variables: MoneyOrderQueryVariables},
  "#graphql\n  query MoneySuggestedRefund($id: ID!, $refundLineItems: [RefundLineItemInput!], $suggestFullRefund: Boolean!, $refundShipping: Boolean) {\n    order(id: $id) {\n      id\n      suggestedRefund(refundLineItems: $refundLineItems, suggestFullRefund: $suggestFullRefund, refundShipping: $refundShipping) {\n        amountSet {\n          presentmentMoney {\n            amount\n            currencyCode\n          }\n        }\n        maximumRefundableSet {\n          presentmentMoney {\n            amount\n            currencyCode\n          }\n        }\n        refundLineItems {\n          lineItem {\n            id\n          }\n          quantity\n          restockType\n        }\n        shipping {\n          amountSet {\n            presentmentMoney {\n              amount\n              currencyCode\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: MoneySuggestedRefundQuery, variables: MoneySuggestedRefundQueryVariables},
  "#graphql\n  query MoneyTransactionState($id: ID!) {\n    node(id: $id) {\n      ... on OrderTransaction {\n        id\n        kind\n        status\n        errorCode\n        receiptJson\n      }\n    }\n  }\n": {return: MoneyTransactionStateQuery, variables: MoneyTransactionStateQueryVariables},
  "#graphql\n  query MoneyOrderNoteRead($id: ID!) {\n    order(id: $id) {\n      id\n      note\n    }\n  }\n": {return: MoneyOrderNoteReadQuery, variables: MoneyOrderNoteReadQueryVariables},
  "#graphql\n  query OrderIndexBackfill($first: Int!, $after: String, $query: String!) {\n    orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT, reverse: true) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        legacyResourceId\n        name\n        checkoutToken\n        email\n        createdAt\n        updatedAt\n        totalPriceSet {\n          presentmentMoney {\n            amount\n            currencyCode\n          }\n        }\n        transactions(first: 10) {\n          paymentId\n          authorizationCode\n          receiptJson\n        }\n      }\n    }\n  }\n": {return: OrderIndexBackfillQuery, variables: OrderIndexBackfillQueryVariables},
  "#graphql\n  query ShopInfo {\n    shop {\n      name\n      currencyCode\n      myshopifyDomain\n      ianaTimezone\n    }\n  }\n": {return: ShopInfoQuery, variables: ShopInfoQueryVariables},
  "#graphql\n  query ZendeskOrder($id: ID!, $lineItems: Int!) {\n    order(id: $id) {\n      name\n      createdAt\n      cancelledAt\n      displayFinancialStatus\n      displayFulfillmentStatus\n      totalPriceSet {\n        presentmentMoney {\n          amount\n          currencyCode\n        }\n      }\n      lineItems(first: $lineItems) {\n        pageInfo {\n          hasNextPage\n        }\n        nodes {\n          title\n          variantTitle\n          quantity\n          originalUnitPriceSet {\n            presentmentMoney {\n              amount\n              currencyCode\n            }\n          }\n        }\n      }\n      fulfillments(first: 10) {\n        displayStatus\n        status\n        createdAt\n        deliveredAt\n        trackingInfo(first: 5) {\n          company\n          number\n          url\n        }\n      }\n      shippingAddress {\n        name\n        company\n        address1\n        address2\n        city\n        province\n        zip\n        country\n      }\n    }\n  }\n": {return: ZendeskOrderQuery, variables: ZendeskOrderQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {\n    flowTriggerReceive(handle: $handle, payload: $payload) {\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: FlowTriggerReceiveMutation, variables: FlowTriggerReceiveMutationVariables},
  "#graphql\n  mutation HoldFulfillmentOrder($id: ID!, $fulfillmentHold: FulfillmentOrderHoldInput!) {\n    fulfillmentOrderHold(id: $id, fulfillmentHold: $fulfillmentHold) {\n      fulfillmentHold {\n        id\n        handle\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: HoldFulfillmentOrderMutation, variables: HoldFulfillmentOrderMutationVariables},
  "#graphql\n  mutation ReleaseFulfillmentOrderHold($id: ID!, $holdIds: [ID!], $externalId: String) {\n    fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds, externalId: $externalId) {\n      fulfillmentOrder {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: ReleaseFulfillmentOrderHoldMutation, variables: ReleaseFulfillmentOrderHoldMutationVariables},
  "#graphql\n  mutation CreateOrderRiskAssessment($input: OrderRiskAssessmentCreateInput!) {\n    orderRiskAssessmentCreate(orderRiskAssessmentInput: $input) {\n      orderRiskAssessment {\n        riskLevel\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: CreateOrderRiskAssessmentMutation, variables: CreateOrderRiskAssessmentMutationVariables},
  "#graphql\n  mutation UntagOrder($id: ID!, $tags: [String!]!) {\n    tagsRemove(id: $id, tags: $tags) {\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: UntagOrderMutation, variables: UntagOrderMutationVariables},
  "#graphql\n  mutation TagOrder($id: ID!, $tags: [String!]!) {\n    tagsAdd(id: $id, tags: $tags) {\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: TagOrderMutation, variables: TagOrderMutationVariables},
  "#graphql\n  mutation MoneyRefundCreate($input: RefundInput!, $key: String!) {\n    refundCreate(input: $input) @idempotent(key: $key) {\n      refund {\n        id\n        transactions(first: 10) {\n          nodes {\n            ...MoneyTransaction\n          }\n        }\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n\n  fragment MoneyTransaction on OrderTransaction {\n    id\n    kind\n    status\n    errorCode\n    receiptJson\n    createdAt\n    amountSet {\n      presentmentMoney {\n        amount\n        currencyCode\n      }\n    }\n    parentTransaction {\n      id\n    }\n  }\n": {return: MoneyRefundCreateMutation, variables: MoneyRefundCreateMutationVariables},
  "#graphql\n  mutation MoneyOrderCapture($input: OrderCaptureInput!) {\n    orderCapture(input: $input) {\n      transaction {\n        id\n        kind\n        status\n        errorCode\n        receiptJson\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: MoneyOrderCaptureMutation, variables: MoneyOrderCaptureMutationVariables},
  "#graphql\n  mutation MoneyTransactionVoid($id: ID!) {\n    transactionVoid(parentTransactionId: $id) {\n      transaction {\n        id\n        kind\n        status\n        errorCode\n        receiptJson\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: MoneyTransactionVoidMutation, variables: MoneyTransactionVoidMutationVariables},
  "#graphql\n  mutation MoneyOrderCancel(\n    $orderId: ID!\n    $reason: OrderCancelReason!\n    $refundMethod: OrderCancelRefundMethodInput\n    $restock: Boolean!\n    $notifyCustomer: Boolean\n    $staffNote: String\n  ) {\n    orderCancel(orderId: $orderId, reason: $reason, refundMethod: $refundMethod, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {\n      job {\n        id\n      }\n      orderCancelUserErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: MoneyOrderCancelMutation, variables: MoneyOrderCancelMutationVariables},
  "#graphql\n  mutation MoneyOrderNote($input: OrderInput!) {\n    orderUpdate(input: $input) {\n      order {\n        id\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: MoneyOrderNoteMutation, variables: MoneyOrderNoteMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
