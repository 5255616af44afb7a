-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "disputeTicketCategories" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "disputeTicketGroupId" TEXT,
ADD COLUMN     "disputeTicketMinAmounts" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "disputeTicketRequester" TEXT NOT NULL DEFAULT 'customer',
ADD COLUMN     "disputeTicketRequesterEmail" TEXT,
ADD COLUMN     "disputeTicketTags" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "disputeTickets" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "ZendeskConnection" ADD COLUMN     "allowCancel" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "previousSecretEnc" TEXT,
ADD COLUMN     "previousSecretExpiresAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "DisputeTicket" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "disputeId" TEXT NOT NULL,
    "ticketId" TEXT,
    "state" TEXT NOT NULL DEFAULT 'creating',
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DisputeTicket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ZendeskAccount" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "subdomain" TEXT NOT NULL,
    "authKind" TEXT NOT NULL,
    "email" TEXT,
    "accessTokenEnc" TEXT NOT NULL,
    "refreshTokenEnc" TEXT,
    "accessTokenExpiresAt" TIMESTAMP(3),
    "scopes" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'connected',
    "statusDetail" TEXT,
    "connectedBy" TEXT NOT NULL,
    "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ZendeskAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ZendeskAuthorization" (
    "state" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "subdomain" TEXT NOT NULL,
    "codeVerifierEnc" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ZendeskAuthorization_pkey" PRIMARY KEY ("state")
);

-- CreateIndex
CREATE UNIQUE INDEX "DisputeTicket_disputeId_key" ON "DisputeTicket"("disputeId");

-- CreateIndex
CREATE INDEX "DisputeTicket_shopId_idx" ON "DisputeTicket"("shopId");

-- CreateIndex
CREATE UNIQUE INDEX "ZendeskAccount_shopId_key" ON "ZendeskAccount"("shopId");

-- CreateIndex
CREATE INDEX "ZendeskAuthorization_shopId_idx" ON "ZendeskAuthorization"("shopId");

-- AddForeignKey
ALTER TABLE "DisputeTicket" ADD CONSTRAINT "DisputeTicket_disputeId_fkey" FOREIGN KEY ("disputeId") REFERENCES "Dispute"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ZendeskAccount" ADD CONSTRAINT "ZendeskAccount_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ZendeskAuthorization" ADD CONSTRAINT "ZendeskAuthorization_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

