ALTER TABLE "channels" ADD COLUMN "pacing" jsonb;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "bulk" boolean DEFAULT false NOT NULL;