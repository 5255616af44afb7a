// The Admin GraphQL (2026-07) documents the order index sends. test/graphql-documents.test.ts validates
// each against the schema. Values always travel as variables.

/**
 * A page of the shop's orders created since a time, newest first, with what the index stores (the
 * same fields as the holds feature's HoldCandidateOrder, so toCandidate reads both). 50 orders with 10
 * transactions each cost about 650 points, under the 1,000 a query may cost.
 */
export const ORDER_BACKFILL_QUERY = `#graphql
  query OrderIndexBackfill($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT, reverse: true) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
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
    }
  }
`;
