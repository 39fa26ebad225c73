CREATE TABLE `sandbox_yoti_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`url` text NOT NULL,
	`body` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`delivered_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sandbox_yoti_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`sdk_id` text NOT NULL,
	`request` text NOT NULL,
	`status` text NOT NULL,
	`method` text,
	`age` integer,
	`evidence_id` text,
	`response_config` text,
	`attempts` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `verification_notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`state` text NOT NULL,
	`sequence_number` integer,
	`sent_at` integer NOT NULL,
	`received_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`duplicates` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `verification_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`reference_id` text NOT NULL,
	`status` text NOT NULL,
	`method` text,
	`request` text NOT NULL,
	`evidence_id` text,
	`rejected_reason` text,
	`history` text NOT NULL,
	`expires_at` integer NOT NULL,
	`checked_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `verification_sessions_reference_id_unique` ON `verification_sessions` (`reference_id`);--> statement-breakpoint
CREATE INDEX `verification_sessions_member_idx` ON `verification_sessions` (`member_id`,`created_at`);