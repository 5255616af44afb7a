// Every Admin GraphQL (2026-07) document the holds feature sends. test/graphql-documents.test.ts
// validates each against the schema. Values always travel as variables.

/**
 * Orders that may belong to a payment. One document serves every lookup: the strong ones (reference
 * as name, id or checkout token; the Checkout.com payment id on a transaction), the weak one (email
 * within a time window), and fetching one order by id; @include picks which run.
 */
export const ORDER_CANDIDATES_QUERY = `#graphql
  query HoldOrderCandidates(
    $nameQuery: String!
    $withName: Boolean!
    $orderId: ID!
    $withId: Boolean!
    $tokenQuery: String!
    $withToken: Boolean!
    $paymentQuery: String!
    $withPayment: Boolean!
    $emailQuery: String!
    $withEmail: Boolean!
  ) {
    byName: orders(first: 3, query: $nameQuery) @include(if: $withName) {
      nodes {
        ...HoldCandidateOrder
      }
    }
    byId: order(id: $orderId) @include(if: $withId) {
      ...HoldCandidateOrder
    }
    byToken: orders(first: 3, query: $tokenQuery) @include(if: $withToken) {
      nodes {
        ...HoldCandidateOrder
      }
    }
    byPayment: orders(first: 3, query: $paymentQuery) @include(if: $withPayment) {
      nodes {
        ...HoldCandidateOrder
      }
    }
    byEmail: orders(first: 10, query: $emailQuery) @include(if: $withEmail) {
      nodes {
        ...HoldCandidateOrder
      }
    }
  }

  fragment HoldCandidateOrder on Order {
    id
    legacyResourceId
    name
    checkoutToken
    email
    createdAt
    updatedAt
    totalPriceSet {
      presentmentMoney {
        amount
        currencyCode
      }
    }
    transactions(first: 10) {
      paymentId
      authorizationCode
      receiptJson
    }
  }
`;

/** What placing, releasing and cancelling need to know about an order, to act only once. */
export const ORDER_HOLD_STATE_QUERY = `#graphql
  query HoldOrderState($id: ID!) {
    order(id: $id) {
      id
      name
      cancelledAt
      tags
      fulfillmentOrders(first: 20) {
        nodes {
          id
          status
          fulfillmentHolds {
            id
            handle
            heldByRequestingApp
          }
        }
      }
      risk {
        assessments {
          provider {
            apiKey
          }
          facts {
            description
          }
        }
      }
    }
  }
`;

export const FULFILLMENT_ORDER_HOLD_MUTATION = `#graphql
  mutation HoldFulfillmentOrder($id: ID!, $fulfillmentHold: FulfillmentOrderHoldInput!) {
    fulfillmentOrderHold(id: $id, fulfillmentHold: $fulfillmentHold) {
      fulfillmentHold {
        id
        handle
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const FULFILLMENT_ORDER_RELEASE_HOLD_MUTATION = `#graphql
  mutation ReleaseFulfillmentOrderHold($id: ID!, $holdIds: [ID!], $externalId: String) {
    fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds, externalId: $externalId) {
      fulfillmentOrder {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const ORDER_RISK_ASSESSMENT_CREATE_MUTATION = `#graphql
  mutation CreateOrderRiskAssessment($input: OrderRiskAssessmentCreateInput!) {
    orderRiskAssessmentCreate(orderRiskAssessmentInput: $input) {
      orderRiskAssessment {
        riskLevel
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const TAGS_REMOVE_MUTATION = `#graphql
  mutation UntagOrder($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }
`;

export const TAGS_ADD_MUTATION = `#graphql
  mutation TagOrder($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }
`;
