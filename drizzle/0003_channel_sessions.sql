ALTER TABLE "channels" ADD COLUMN "session_wanted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "session_restarts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "session_checked_at" timestamp with time zone;