// Every Admin GraphQL (2026-07) document the money actions send. test/graphql-documents.test.ts
// validates each against the schema. Values always travel as variables.

/**
 * What the money actions need to know of an order: its transactions (to find the payment's), lines and
 * state. Without `withLines` it costs less than half (Shopify charges for the 100 lines asked for up
 * front, and for each line returned): the order check and the look for a refund or void made elsewhere
 * (money/jobs.server.ts) read only transactions.
 */
export const MONEY_ORDER_QUERY = `#graphql
  query MoneyOrder($id: ID!, $withLines: Boolean!) {
    order(id: $id) {
      id
      legacyResourceId
      name
      cancelledAt
      displayFinancialStatus
      presentmentCurrencyCode
      note
      transactions(first: 100) {
        id
        kind
        status
        gateway
        paymentId
        authorizationCode
        receiptJson
        createdAt
        errorCode
        amountSet {
          presentmentMoney {
            amount
            currencyCode
          }
        }
        parentTransaction {
          id
        }
      }
      lineItems(first: 100) @include(if: $withLines) {
        nodes {
          id
          name
          sku
          quantity
          refundableQuantity
          unfulfilledQuantity
          discountedUnitPriceSet {
            presentmentMoney {
              amount
              currencyCode
            }
          }
        }
      }
    }
  }
`;

/** Shopify's price for a refund: of chosen lines, or of everything still refundable. */
export const SUGGESTED_REFUND_QUERY = `#graphql
  query MoneySuggestedRefund($id: ID!, $refundLineItems: [RefundLineItemInput!], $suggestFullRefund: Boolean!, $refundShipping: Boolean) {
    order(id: $id) {
      id
      suggestedRefund(refundLineItems: $refundLineItems, suggestFullRefund: $suggestFullRefund, refundShipping: $refundShipping) {
        amountSet {
          presentmentMoney {
            amount
            currencyCode
          }
        }
        maximumRefundableSet {
          presentmentMoney {
            amount
            currencyCode
          }
        }
        refundLineItems {
          lineItem {
            id
          }
          quantity
          restockType
        }
        shipping {
          amountSet {
            presentmentMoney {
              amount
              currencyCode
            }
          }
        }
      }
    }
  }
`;

/**
 * A refund on the order. `@idempotent` makes a repeat with the same key return the first refund
 * (required from 2026-04): the key is the money action's, derived from what the person asked.
 */
export const REFUND_CREATE_MUTATION = `#graphql
  mutation MoneyRefundCreate($input: RefundInput!, $key: String!) {
    refundCreate(input: $input) @idempotent(key: $key) {
      refund {
        id
        transactions(first: 10) {
          nodes {
            ...MoneyTransaction
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }

  fragment MoneyTransaction on OrderTransaction {
    id
    kind
    status
    errorCode
    receiptJson
    createdAt
    amountSet {
      presentmentMoney {
        amount
        currencyCode
      }
    }
    parentTransaction {
      id
    }
  }
`;

export const ORDER_CAPTURE_MUTATION = `#graphql
  mutation MoneyOrderCapture($input: OrderCaptureInput!) {
    orderCapture(input: $input) {
      transaction {
        id
        kind
        status
        errorCode
        receiptJson
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const TRANSACTION_VOID_MUTATION = `#graphql
  mutation MoneyTransactionVoid($id: ID!) {
    transactionVoid(parentTransactionId: $id) {
      transaction {
        id
        kind
        status
        errorCode
        receiptJson
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Cancels the order; Shopify refunds captured money or voids the authorisation through its payments app. */
export const MONEY_ORDER_CANCEL_MUTATION = `#graphql
  mutation MoneyOrderCancel(
    $orderId: ID!
    $reason: OrderCancelReason!
    $refundMethod: OrderCancelRefundMethodInput
    $restock: Boolean!
    $notifyCustomer: Boolean
    $staffNote: String
  ) {
    orderCancel(orderId: $orderId, reason: $reason, refundMethod: $refundMethod, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
      job {
        id
      }
      orderCancelUserErrors {
        field
        message
        code
      }
    }
  }
`;

/** One transaction's state, to settle an action whose outcome Shopify's payments app reports later. */
export const TRANSACTION_STATE_QUERY = `#graphql
  query MoneyTransactionState($id: ID!) {
    node(id: $id) {
      ... on OrderTransaction {
        id
        kind
        status
        errorCode
        receiptJson
      }
    }
  }
`;

export const ORDER_NOTE_QUERY = `#graphql
  query MoneyOrderNoteRead($id: ID!) {
    order(id: $id) {
      id
      note
    }
  }
`;

/** Staff notes go on the order's note: the Admin API offers apps no timeline comments. */
export const ORDER_NOTE_MUTATION = `#graphql
  mutation MoneyOrderNote($input: OrderInput!) {
    orderUpdate(input: $input) {
      order {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;
