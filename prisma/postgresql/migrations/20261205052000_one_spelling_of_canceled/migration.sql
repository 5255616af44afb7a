-- One spelling for our own status values: "canceled", as Checkout.com and Shopify's admin write it.
UPDATE "Job" SET "status" = 'canceled' WHERE "status" = 'cancelled';
