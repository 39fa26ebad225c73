CREATE TABLE `outbox_fairness` (
	`key` text PRIMARY KEY NOT NULL,
	`last_claimed_at` integer NOT NULL
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`subject` text,
	`body` text NOT NULL,
	`html` text,
	`purpose` text NOT NULL,
	`owner_id` text,
	`fairness_key` text NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`checks` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`lease_until` integer,
	`claimed_at` integer,
	`attempt_started_at` integer,
	`first_attempt_at` integer,
	`provider_id` text,
	`provider_status` text,
	`last_error` text,
	`sent_at` integer,
	`status_check_at` integer,
	`status_checks` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_outbox`("id", "channel", "recipient", "subject", "body", "html", "purpose", "owner_id", "fairness_key", "state", "attempts", "checks", "next_attempt_at", "lease_until", "claimed_at", "attempt_started_at", "first_attempt_at", "provider_id", "provider_status", "last_error", "sent_at", "status_check_at", "status_checks", "created_at", "updated_at") SELECT o."id", o."channel", o."recipient", o."subject", o."body", o."html", CASE WHEN o."signal_id" IS NOT NULL THEN 'smoke_signal' ELSE 'join_alert' END, o."signal_id", coalesce('member:' || (SELECT s."sender_id" FROM `smoke_signals` s WHERE s."id" = o."signal_id"), 'legacy'), o."state", o."attempts", 0, o."next_attempt_at", o."lease_until", CASE WHEN o."state" = 'sending' THEN o."updated_at" END, CASE WHEN o."state" IN ('sending', 'unknown') THEN o."updated_at" END, o."first_attempt_at", o."provider_id", o."provider_status", o."last_error", o."sent_at", CASE WHEN o."state" = 'sent' AND o."channel" = 'SMS' AND coalesce(o."provider_status", '') NOT IN ('delivered', 'read', 'undelivered', 'failed', 'canceled') THEN (unixepoch('subsec') * 1000) END, 0, o."created_at", o."updated_at" FROM `outbox` o;--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
ALTER TABLE `__new_outbox` RENAME TO `outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_provider_idx` ON `outbox` (`provider_id`);--> statement-breakpoint
CREATE INDEX `outbox_owner_idx` ON `outbox` (`purpose`,`owner_id`);--> statement-breakpoint
CREATE INDEX `outbox_fair_due_idx` ON `outbox` (`state`,`fairness_key`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_status_check_idx` ON `outbox` (`status_check_at`);--> statement-breakpoint
ALTER TABLE `sandbox_yoti_deliveries` ADD `next_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `sandbox_yoti_deliveries` ADD `duplicates` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `sandbox_yoti_deliveries` SET `next_attempt_at` = (unixepoch('subsec') * 1000) WHERE `delivered_at` IS NULL;--> statement-breakpoint
ALTER TABLE `sandbox_twilio_callbacks` ADD `fault` text;--> statement-breakpoint
ALTER TABLE `sandbox_twilio_messages` ADD `reply_by` text;--> statement-breakpoint
ALTER TABLE `sandbox_twilio_messages` ADD `send_at` integer;--> statement-breakpoint
ALTER TABLE `sandbox_twilio_messages` ADD `fail_code` integer;--> statement-breakpoint
CREATE INDEX `orphan_status_callbacks_provider_idx` ON `orphan_status_callbacks` (`provider_id`);