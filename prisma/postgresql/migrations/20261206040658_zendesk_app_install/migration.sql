-- AlterTable
ALTER TABLE "ZendeskConnection" ADD COLUMN     "installedAt" TIMESTAMP(3),
ADD COLUMN     "installedVersion" TEXT,
ADD COLUMN     "ticketFieldId" TEXT,
ADD COLUMN     "zendeskAppId" TEXT,
ADD COLUMN     "zendeskInstallationId" TEXT;

