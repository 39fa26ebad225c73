CREATE TABLE `announcement_consents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` text NOT NULL,
	`channel` text NOT NULL,
	`given` integer NOT NULL,
	`phone` text,
	`source` text NOT NULL,
	`at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `announcement_consents_member_idx` ON `announcement_consents` (`member_id`,`at`);--> statement-breakpoint
CREATE TABLE `announcement_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`announcement_id` text NOT NULL,
	`member_id` text,
	`channel` text NOT NULL,
	`outbox_id` text,
	`state` text NOT NULL,
	`reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`announcement_id`) REFERENCES `announcements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `announcement_messages_once_idx` ON `announcement_messages` (`announcement_id`,`member_id`,`channel`);--> statement-breakpoint
CREATE INDEX `announcement_messages_outbox_idx` ON `announcement_messages` (`outbox_id`);--> statement-breakpoint
CREATE TABLE `announcement_preferences` (
	`member_id` text PRIMARY KEY NOT NULL,
	`in_app` integer DEFAULT true NOT NULL,
	`email_consent_at` integer,
	`sms_consent_at` integer,
	`sms_consent_phone` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `announcements` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`audience` text NOT NULL,
	`in_app` integer NOT NULL,
	`email` integer NOT NULL,
	`sms` integer NOT NULL,
	`state` text DEFAULT 'draft' NOT NULL,
	`create_key` text NOT NULL,
	`created_by` text NOT NULL,
	`sent_by` text,
	`send_started_at` integer,
	`queued_at` integer,
	`cursor` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `announcements_create_key_unique` ON `announcements` (`create_key`);--> statement-breakpoint
CREATE INDEX `announcements_state_idx` ON `announcements` (`state`,`created_at`);