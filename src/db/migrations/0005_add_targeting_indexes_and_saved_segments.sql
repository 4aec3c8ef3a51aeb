CREATE TABLE "segments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"filter" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "department" text GENERATED ALWAYS AS (case when commune_code like '97%' then left(commune_code, 3) else left(commune_code, 2) end) STORED;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "has_address" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "segments" ADD CONSTRAINT "segments_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "segments_org" ON "segments" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "contacts_org_commune" ON "contacts" USING btree ("org_id","commune_code");--> statement-breakpoint
CREATE INDEX "contacts_org_department" ON "contacts" USING btree ("org_id","department");--> statement-breakpoint
CREATE INDEX "contacts_org_birth_year" ON "contacts" USING btree ("org_id","birth_year");--> statement-breakpoint
CREATE INDEX "contacts_org_polling_station" ON "contacts" USING btree ("org_id","polling_station");