-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" DATETIME,
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN,
    "locale" TEXT,
    "collaborator" BOOLEAN,
    "emailVerified" BOOLEAN,
    "refreshToken" TEXT,
    "refreshTokenExpires" DATETIME
);

-- CreateTable
CREATE TABLE "Shop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "domain" TEXT NOT NULL,
    "name" TEXT,
    "currency" TEXT,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "matchWindowMinutes" INTEGER NOT NULL DEFAULT 1440,
    "flowTriggers" TEXT NOT NULL DEFAULT '[]',
    "autoSubmitEvidence" BOOLEAN NOT NULL DEFAULT false,
    "autoSubmitDaysBefore" INTEGER NOT NULL DEFAULT 2,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShopSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CheckoutConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "accountType" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "subdomain" TEXT,
    "secretKeyEnc" TEXT NOT NULL,
    "secretKeyLast4" TEXT NOT NULL,
    "signatureKeyEnc" TEXT,
    "signatureKeyLast4" TEXT,
    "authorizationEnc" TEXT,
    "authorizationLast4" TEXT,
    "processingChannelId" TEXT,
    "lastTestedAt" DATETIME,
    "lastTestOk" BOOLEAN,
    "lastTestMessage" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CheckoutConnection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "ckoPaymentId" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "lastError" TEXT,
    "processedAt" DATETIME,
    CONSTRAINT "WebhookEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "WebhookEvent_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "CheckoutConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME,
    CONSTRAINT "Job_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Payment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "ckoPaymentId" TEXT NOT NULL,
    "reference" TEXT,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "capturedAmount" INTEGER NOT NULL DEFAULT 0,
    "refundedAmount" INTEGER NOT NULL DEFAULT 0,
    "riskFlagged" BOOLEAN NOT NULL DEFAULT false,
    "riskScore" INTEGER,
    "customerEmail" TEXT,
    "customerName" TEXT,
    "ckoCustomerId" TEXT,
    "ipAddress" TEXT,
    "cardScheme" TEXT,
    "cardBin" TEXT,
    "cardLast4" TEXT,
    "cardFingerprint" TEXT,
    "cardCountry" TEXT,
    "billingCountry" TEXT,
    "shippingCountry" TEXT,
    "responseCode" TEXT,
    "responseSummary" TEXT,
    "declineClass" TEXT,
    "threeDs" TEXT,
    "avsCheck" TEXT,
    "cvvCheck" TEXT,
    "processedOn" DATETIME,
    "matchStatus" TEXT NOT NULL DEFAULT 'pending',
    "matchAttempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Payment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PaymentActivity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "paymentId" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "amount" INTEGER,
    "currency" TEXT,
    "summary" TEXT NOT NULL,
    "actor" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}',
    "occurredAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PaymentActivity_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PaymentActivity_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrderLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "paymentId" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "orderName" TEXT,
    "matchedBy" TEXT NOT NULL,
    "confidence" TEXT NOT NULL,
    "needsReview" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OrderLink_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrderLink_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RiskRules" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "monitorOnly" BOOLEAN NOT NULL DEFAULT false,
    "holdOnFlagged" BOOLEAN NOT NULL DEFAULT true,
    "scoreThreshold" INTEGER DEFAULT 70,
    "amountThresholds" TEXT NOT NULL DEFAULT '{}',
    "holdOnCountryMismatch" BOOLEAN NOT NULL DEFAULT false,
    "holdOnIpCountryMismatch" BOOLEAN NOT NULL DEFAULT false,
    "holdOnCardCountryMismatch" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RiskRules_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ListEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "list" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "note" TEXT,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ListEntry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Hold" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "paymentId" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "orderName" TEXT,
    "status" TEXT NOT NULL,
    "monitorOnly" BOOLEAN NOT NULL DEFAULT false,
    "ruleHits" TEXT NOT NULL DEFAULT '[]',
    "shopifyHoldIds" TEXT NOT NULL DEFAULT '[]',
    "externalId" TEXT NOT NULL,
    "riskAssessmentDone" BOOLEAN NOT NULL DEFAULT false,
    "tagged" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "decidedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heldAt" DATETIME,
    "resolvedAt" DATETIME,
    "resolvedBy" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Hold_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Hold_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MoneyAction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "paymentId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amount" INTEGER,
    "currency" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'requested',
    "ckoActionId" TEXT,
    "reason" TEXT,
    "requestedBy" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MoneyAction_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MoneyAction_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Dispute" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "ckoDisputeId" TEXT NOT NULL,
    "paymentId" TEXT,
    "ckoPaymentId" TEXT,
    "orderGid" TEXT,
    "category" TEXT,
    "reasonCode" TEXT,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "evidenceRequiredBy" DATETIME,
    "relevantEvidence" TEXT NOT NULL DEFAULT '[]',
    "receivedOn" DATETIME,
    "evidenceDraft" TEXT NOT NULL DEFAULT '{}',
    "evidenceBuiltAt" DATETIME,
    "evidenceSavedAt" DATETIME,
    "submittedAt" DATETIME,
    "submittedBy" TEXT,
    "acceptedAt" DATETIME,
    "lastSyncedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Dispute_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Dispute_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EvidenceFile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "disputeId" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "data" BLOB NOT NULL,
    "generated" BOOLEAN NOT NULL DEFAULT true,
    "ckoFileId" TEXT,
    "uploadedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EvidenceFile_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "EvidenceFile_disputeId_fkey" FOREIGN KEY ("disputeId") REFERENCES "Dispute" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ZendeskConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "subdomain" TEXT NOT NULL,
    "sharedSecretEnc" TEXT NOT NULL,
    "secretLast4" TEXT NOT NULL,
    "allowRefunds" BOOLEAN NOT NULL DEFAULT true,
    "allowVoids" BOOLEAN NOT NULL DEFAULT true,
    "maxRefundAmount" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    CONSTRAINT "ZendeskConnection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "paymentId" TEXT,
    "orderGid" TEXT,
    "disputeId" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}',
    "result" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuditLog_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");

-- CreateIndex
CREATE UNIQUE INDEX "CheckoutConnection_shopId_key" ON "CheckoutConnection"("shopId");

-- CreateIndex
CREATE UNIQUE INDEX "CheckoutConnection_endpointId_key" ON "CheckoutConnection"("endpointId");

-- CreateIndex
CREATE INDEX "WebhookEvent_status_nextAttemptAt_idx" ON "WebhookEvent"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_shopId_receivedAt_idx" ON "WebhookEvent"("shopId", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_shopId_ckoPaymentId_idx" ON "WebhookEvent"("shopId", "ckoPaymentId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_connectionId_eventId_key" ON "WebhookEvent"("connectionId", "eventId");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE UNIQUE INDEX "Job_shopId_kind_key_key" ON "Job"("shopId", "kind", "key");

-- CreateIndex
CREATE INDEX "Payment_shopId_createdAt_idx" ON "Payment"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "Payment_shopId_customerEmail_idx" ON "Payment"("shopId", "customerEmail");

-- CreateIndex
CREATE INDEX "Payment_shopId_reference_idx" ON "Payment"("shopId", "reference");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_shopId_ckoPaymentId_key" ON "Payment"("shopId", "ckoPaymentId");

-- CreateIndex
CREATE INDEX "PaymentActivity_shopId_occurredAt_idx" ON "PaymentActivity"("shopId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentActivity_paymentId_sourceKey_key" ON "PaymentActivity"("paymentId", "sourceKey");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLink_paymentId_key" ON "OrderLink"("paymentId");

-- CreateIndex
CREATE INDEX "OrderLink_shopId_orderGid_idx" ON "OrderLink"("shopId", "orderGid");

-- CreateIndex
CREATE UNIQUE INDEX "ListEntry_shopId_list_kind_value_key" ON "ListEntry"("shopId", "list", "kind", "value");

-- CreateIndex
CREATE UNIQUE INDEX "Hold_paymentId_key" ON "Hold"("paymentId");

-- CreateIndex
CREATE UNIQUE INDEX "Hold_externalId_key" ON "Hold"("externalId");

-- CreateIndex
CREATE INDEX "Hold_shopId_status_idx" ON "Hold"("shopId", "status");

-- CreateIndex
CREATE INDEX "MoneyAction_paymentId_idx" ON "MoneyAction"("paymentId");

-- CreateIndex
CREATE UNIQUE INDEX "MoneyAction_shopId_idempotencyKey_key" ON "MoneyAction"("shopId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Dispute_shopId_evidenceRequiredBy_idx" ON "Dispute"("shopId", "evidenceRequiredBy");

-- CreateIndex
CREATE UNIQUE INDEX "Dispute_shopId_ckoDisputeId_key" ON "Dispute"("shopId", "ckoDisputeId");

-- CreateIndex
CREATE UNIQUE INDEX "EvidenceFile_disputeId_field_sha256_key" ON "EvidenceFile"("disputeId", "field", "sha256");

-- CreateIndex
CREATE INDEX "ZendeskConnection_shopId_idx" ON "ZendeskConnection"("shopId");

-- CreateIndex
CREATE INDEX "AuditLog_shopId_createdAt_idx" ON "AuditLog"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_shopId_orderGid_idx" ON "AuditLog"("shopId", "orderGid");

-- CreateIndex
CREATE INDEX "AuditLog_shopId_paymentId_idx" ON "AuditLog"("shopId", "paymentId");

