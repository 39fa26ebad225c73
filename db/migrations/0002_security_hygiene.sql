CREATE TABLE `auth_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`account` text NOT NULL,
	`address` text,
	`device` text,
	`trust` text DEFAULT 'none' NOT NULL,
	`ok` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `auth_attempts_account_idx` ON `auth_attempts` (`account`,`created_at`);--> statement-breakpoint
CREATE INDEX `auth_attempts_address_idx` ON `auth_attempts` (`address`,`created_at`);--> statement-breakpoint
CREATE INDEX `auth_attempts_device_idx` ON `auth_attempts` (`device`,`created_at`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_seen_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`ended_at` integer,
	`ended_reason` text,
	`address` text,
	`user_agent` text,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_member_idx` ON `sessions` (`member_id`);--> statement-breakpoint
CREATE TABLE `trusted_sign_ins` (
	`member_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`last_sign_in_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`member_id`, `kind`, `value`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `email_suppressions` (
	`mailbox` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `email_unsubscribe_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`address` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sms_daily_usage` (
	`day` text NOT NULL,
	`country` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `country`)
);
--> statement-breakpoint
DROP INDEX `smoke_signals_recipient_idx`;--> statement-breakpoint
ALTER TABLE `smoke_signals` ADD `recipient_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `smoke_signals_recipient_key_idx` ON `smoke_signals` (`recipient_key`,`created_at`);--> statement-breakpoint
ALTER TABLE `members` ADD `disabled_at` integer;--> statement-breakpoint
ALTER TABLE `members` ADD `sandbox_demo` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sandbox_mail_messages` ADD `headers` text;--> statement-breakpoint
-- Backfill (hand-written): the per-recipient key of existing signals (an email's +tag dropped), and the sandbox demo
-- accounts seeded before they were marked (their addresses are fixed; example.com belongs to no one).
UPDATE `smoke_signals` SET `recipient_key` = CASE
  WHEN `channel` = 'Email' AND instr(substr(`recipient`, 1, instr(`recipient`, '@') - 1), '+') > 0
    THEN substr(`recipient`, 1, instr(`recipient`, '+') - 1) || substr(`recipient`, instr(`recipient`, '@'))
  ELSE `recipient` END;--> statement-breakpoint
UPDATE `members` SET `sandbox_demo` = 1 WHERE `email` IN ('demo@example.com', 'admin@example.com');
