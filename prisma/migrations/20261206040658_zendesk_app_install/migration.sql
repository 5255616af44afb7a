-- AlterTable
ALTER TABLE "ZendeskConnection" ADD COLUMN "installedAt" DATETIME;
ALTER TABLE "ZendeskConnection" ADD COLUMN "installedVersion" TEXT;
ALTER TABLE "ZendeskConnection" ADD COLUMN "ticketFieldId" TEXT;
ALTER TABLE "ZendeskConnection" ADD COLUMN "zendeskAppId" TEXT;
ALTER TABLE "ZendeskConnection" ADD COLUMN "zendeskInstallationId" TEXT;

