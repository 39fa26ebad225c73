CREATE TABLE `admin_audit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`actor_id` text NOT NULL,
	`actor_email` text NOT NULL,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text,
	`target_label` text,
	`reason` text,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `admin_audit_at_idx` ON `admin_audit` (`at`);--> statement-breakpoint
CREATE INDEX `admin_audit_target_idx` ON `admin_audit` (`target_type`,`target_id`,`at`);--> statement-breakpoint
CREATE INDEX `admin_audit_action_idx` ON `admin_audit` (`action`,`at`);--> statement-breakpoint
CREATE TABLE `anonymised_signal_counts` (
	`day` text NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `channel`, `status`)
);
--> statement-breakpoint
CREATE TABLE `credential_use` (
	`name` text PRIMARY KEY NOT NULL,
	`last_ok_at` integer,
	`last_refused_at` integer,
	`last_refusal` text
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`name` text PRIMARY KEY NOT NULL,
	`lease_until` integer,
	`last_started_at` integer,
	`last_finished_at` integer,
	`last_ok` integer,
	`last_summary` text,
	`last_trigger` text
);
--> statement-breakpoint
CREATE TABLE `operator_alerts` (
	`key` text PRIMARY KEY NOT NULL,
	`firing` integer NOT NULL,
	`since` integer NOT NULL,
	`notified_at` integer,
	`detail` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `operator_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
CREATE TABLE `webhook_receipts` (
	`kind` text NOT NULL,
	`hour` integer NOT NULL,
	`outcome` text NOT NULL,
	`detail` text NOT NULL,
	`count` integer NOT NULL,
	`last_at` integer NOT NULL,
	`hint` text,
	PRIMARY KEY(`kind`, `hour`, `outcome`, `detail`)
);
--> statement-breakpoint
CREATE INDEX `webhook_receipts_hour_idx` ON `webhook_receipts` (`hour`);--> statement-breakpoint
ALTER TABLE `verification_sessions` ADD `finished_at` integer;--> statement-breakpoint
ALTER TABLE `verification_sessions` ADD `raw_purged_at` integer;--> statement-breakpoint
CREATE INDEX `verification_sessions_created_idx` ON `verification_sessions` (`created_at`,`status`,`method`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `error_code` integer;--> statement-breakpoint
-- Hand-edited: drizzle-kit drops the ON DELETE clause when it adds a column with a reference.
ALTER TABLE `outbox` ADD `member_id` text REFERENCES members(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `outbox` ADD `segments` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `price_micros` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `price_unit` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `body_purged_at` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `outcome` text GENERATED ALWAYS AS ((case
  when state = 'cancelled' then 'cancelled'
  when state = 'failed' then 'failed'
  when state in ('queued', 'sending', 'unknown') then 'pending'
  when provider_status in ('delivered', 'read') then 'delivered'
  when provider_status in ('undelivered', 'failed', 'canceled') then 'failed'
  else 'sent' end)) VIRTUAL;--> statement-breakpoint
CREATE INDEX `outbox_created_idx` ON `outbox` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_member_idx` ON `outbox` (`member_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_outcome_idx` ON `outbox` (`outcome`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_usage_idx` ON `outbox` (`channel`,`created_at`,`state`,`outcome`,`segments`,`price_micros`);--> statement-breakpoint
ALTER TABLE `sms_suppressions` ADD `source` text DEFAULT 'reply' NOT NULL;--> statement-breakpoint
CREATE INDEX `verification_notifications_received_idx` ON `verification_notifications` (`received_at`);--> statement-breakpoint
CREATE INDEX `smoke_signals_created_idx` ON `smoke_signals` (`created_at`);--> statement-breakpoint
-- Backfill (hand-written): the member of existing outbox messages (their fairness key names them), and when existing
-- verification sessions first reached a final status (from their status history).
UPDATE `outbox` SET `member_id` = substr(`fairness_key`, 8)
  WHERE `fairness_key` LIKE 'member:%' AND substr(`fairness_key`, 8) IN (SELECT `id` FROM `members`);--> statement-breakpoint
UPDATE `verification_sessions` SET `finished_at` = (
  SELECT CAST(unixepoch(json_extract(h.value, '$.at'), 'subsec') * 1000 AS INTEGER) FROM json_each(`verification_sessions`.`history`) h
   WHERE json_extract(h.value, '$.status') IN ('COMPLETE', 'FAIL', 'ERROR', 'CANCELLED', 'EXPIRED') ORDER BY h.key LIMIT 1);
