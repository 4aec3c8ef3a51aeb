CREATE TABLE "org_keys" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"key_version" integer DEFAULT 1 NOT NULL,
	"wrapped_key" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"legal_name" text NOT NULL,
	"postal_address" text NOT NULL,
	"contact_email" text NOT NULL,
	"dpo_name" text,
	"dpo_email" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"cndp_receipt" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisations_jurisdiction" CHECK ("organisations"."jurisdiction" in ('FR', 'MA', 'EU'))
);
--> statement-breakpoint
CREATE TABLE "election_rounds" (
	"election_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"vote_date" date NOT NULL,
	CONSTRAINT "election_rounds_election_id_round_pk" PRIMARY KEY("election_id","round"),
	CONSTRAINT "election_rounds_round" CHECK ("election_rounds"."round" between 1 and 2)
);
--> statement-breakpoint
CREATE TABLE "elections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"territory" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "data_sources" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"type" text NOT NULL,
	"label" text NOT NULL,
	"obtained_on" date NOT NULL,
	"election_id" uuid,
	"attestation" jsonb,
	"collection" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "data_sources_lawful_type" CHECK (type in ('electoral_list', 'signin_list', 'member_file', 'supporter_signup', 'purchased_file', 'referral', 'door_to_door')),
	CONSTRAINT "data_sources_purchased_attested" CHECK ("data_sources"."type" <> 'purchased_file' or "data_sources"."attestation" is not null)
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"status" text NOT NULL,
	"summary" jsonb,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"started_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_provenance" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"import_id" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"identity" "bytea" NOT NULL,
	"email_bidx" "bytea",
	"phone_bidx" "bytea",
	"name_birth_bidx" "bytea",
	"birth_year" smallint,
	"sex" text,
	"commune_code" text,
	"postal_code" text,
	"polling_station" text,
	"csp" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_sex" CHECK ("contacts"."sex" is null or "contacts"."sex" in ('F', 'M'))
);
--> statement-breakpoint
CREATE TABLE "consent_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"purpose" text NOT NULL,
	"action" text NOT NULL,
	"wording" text,
	"method" text NOT NULL,
	"place" text,
	"evidence" text,
	"source_id" uuid,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" text NOT NULL,
	CONSTRAINT "consent_entries_channel" CHECK ("consent_entries"."channel" in ('email', 'sms', 'phone', 'post')),
	CONSTRAINT "consent_entries_action" CHECK ("consent_entries"."action" in ('granted', 'withdrawn')),
	CONSTRAINT "consent_entries_granted_has_wording" CHECK ("consent_entries"."action" <> 'granted' or "consent_entries"."wording" is not null)
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"token_hash" "bytea" NOT NULL,
	"label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "org_keys" ADD CONSTRAINT "org_keys_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "election_rounds" ADD CONSTRAINT "election_rounds_election_id_elections_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."elections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elections" ADD CONSTRAINT "elections_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_election_id_elections_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."elections"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_source_id_data_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."data_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_provenance" ADD CONSTRAINT "contact_provenance_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_provenance" ADD CONSTRAINT "contact_provenance_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_provenance" ADD CONSTRAINT "contact_provenance_source_id_data_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."data_sources"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_provenance" ADD CONSTRAINT "contact_provenance_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_entries" ADD CONSTRAINT "consent_entries_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_entries" ADD CONSTRAINT "consent_entries_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_entries" ADD CONSTRAINT "consent_entries_source_id_data_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."data_sources"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "elections_org" ON "elections" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "data_sources_org" ON "data_sources" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "imports_source" ON "imports" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "contact_provenance_contact" ON "contact_provenance" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "contact_provenance_source" ON "contact_provenance" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "contacts_org" ON "contacts" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "contacts_email_bidx" ON "contacts" USING btree ("org_id","email_bidx");--> statement-breakpoint
CREATE INDEX "contacts_phone_bidx" ON "contacts" USING btree ("org_id","phone_bidx");--> statement-breakpoint
CREATE INDEX "contacts_name_birth_bidx" ON "contacts" USING btree ("org_id","name_birth_bidx");--> statement-breakpoint
CREATE INDEX "consent_entries_contact" ON "consent_entries" USING btree ("contact_id","channel","purpose","id");--> statement-breakpoint
CREATE INDEX "api_tokens_label" ON "api_tokens" USING btree ("label");