-- Issue 14, objections first (SEC-2 kept): an event is appended unchained, in its writer's
-- transaction and without any lock, and a chainer links committed events into the hash chain
-- afterwards, in the order it finds them, under a lock that only chainers take
-- (domain/audit/chain-events.ts). Before this, every writer took one global lock and held it to
-- its commit, so an objection waited for a send group's whole transaction (SMTP round trips
-- included). `id` orders events as they were appended; `seq`, `prev_hash` and `hash` are set
-- once, together, when the event is chained; the chain and its checks are unchanged.
ALTER TABLE "audit_events" ADD COLUMN "id" bigint;--> statement-breakpoint
UPDATE "audit_events" SET "id" = "seq";--> statement-breakpoint
CREATE SEQUENCE "audit_events_id_seq" OWNED BY "audit_events"."id";--> statement-breakpoint
SELECT setval('audit_events_id_seq', coalesce((SELECT max("id") FROM "audit_events"), 0) + 1, false);--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "id" SET DEFAULT nextval('audit_events_id_seq');--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_pkey";--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id");--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "seq" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "prev_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "hash" DROP NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_seq" ON "audit_events" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "audit_events_unchained" ON "audit_events" USING btree ("id") WHERE "seq" IS NULL;--> statement-breakpoint
-- Chained whole or not at all: a half-linked event would escape verification.
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_chained_whole" CHECK (("seq" IS NULL) = ("hash" IS NULL) AND ("seq" IS NULL) = ("prev_hash" IS NULL));
