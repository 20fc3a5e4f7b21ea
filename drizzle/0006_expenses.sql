CREATE TABLE "receipts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"trip_id" uuid NOT NULL,
	"source" text NOT NULL,
	"access_key" text,
	"atcud" text,
	"document_number" text,
	"issuer_name" text,
	"issuer_tax_id" text,
	"issue_date" date,
	"total_cents" integer,
	"currency" text NOT NULL,
	"declared_total_cents" integer,
	"items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"qr_text" text,
	"photo_media_id" uuid,
	"channel_id" uuid,
	"contact_id" uuid,
	"fetch_status" text NOT NULL,
	"consultation_status" text,
	"fetch_attempts" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "travellers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"contact_id" uuid,
	"name" text NOT NULL,
	"company" text NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trip_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"trip_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"media_id" uuid,
	"storage_key" text,
	"file_name" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trips" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"traveller_id" uuid NOT NULL,
	"destination" text NOT NULL,
	"cost_centre" text NOT NULL,
	"days" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_trip_id_trips_id_fk" FOREIGN KEY ("trip_id") REFERENCES "public"."trips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_photo_media_id_media_objects_id_fk" FOREIGN KEY ("photo_media_id") REFERENCES "public"."media_objects"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "travellers" ADD CONSTRAINT "travellers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "travellers" ADD CONSTRAINT "travellers_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_reports" ADD CONSTRAINT "trip_reports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_reports" ADD CONSTRAINT "trip_reports_trip_id_trips_id_fk" FOREIGN KEY ("trip_id") REFERENCES "public"."trips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_reports" ADD CONSTRAINT "trip_reports_media_id_media_objects_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media_objects"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trips" ADD CONSTRAINT "trips_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trips" ADD CONSTRAINT "trips_traveller_id_travellers_id_fk" FOREIGN KEY ("traveller_id") REFERENCES "public"."travellers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "receipts_tenant_access_key_unique" ON "receipts" USING btree ("tenant_id","access_key") WHERE "receipts"."access_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "receipts_tenant_atcud_unique" ON "receipts" USING btree ("tenant_id","issuer_tax_id","atcud") WHERE "receipts"."atcud" is not null;--> statement-breakpoint
CREATE INDEX "receipts_trip_idx" ON "receipts" USING btree ("trip_id","created_at");--> statement-breakpoint
CREATE INDEX "receipts_consultation_due_idx" ON "receipts" USING btree ("due_at") WHERE "receipts"."consultation_status" in ('pending', 'running');--> statement-breakpoint
CREATE UNIQUE INDEX "travellers_tenant_email_unique" ON "travellers" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "travellers_tenant_contact_unique" ON "travellers" USING btree ("tenant_id","contact_id") WHERE "travellers"."contact_id" is not null;--> statement-breakpoint
CREATE INDEX "travellers_tenant_created_idx" ON "travellers" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "trip_reports_trip_idx" ON "trip_reports" USING btree ("trip_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "trips_one_active_per_traveller" ON "trips" USING btree ("traveller_id") WHERE "trips"."status" = 'active';--> statement-breakpoint
CREATE INDEX "trips_tenant_started_idx" ON "trips" USING btree ("tenant_id","started_at");--> statement-breakpoint
CREATE INDEX "trips_traveller_idx" ON "trips" USING btree ("traveller_id","started_at");