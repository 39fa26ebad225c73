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
CREATE INDEX `verification_sessions_member_idx` ON `verification_sessions` (`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`consent_attested_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_member_idx` ON `api_tokens` (`member_id`);--> statement-breakpoint
CREATE TABLE `messaging_preferences` (
	`member_id` text PRIMARY KEY NOT NULL,
	`join_alert` text DEFAULT 'none' NOT NULL,
	`alert_phone` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`text` text NOT NULL,
	`link` text,
	`read_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notifications_member_idx` ON `notifications` (`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `orphan_status_callbacks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider_id` text NOT NULL,
	`status` text NOT NULL,
	`error_code` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`subject` text,
	`body` text NOT NULL,
	`html` text,
	`signal_id` text,
	`state` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`lease_until` integer,
	`first_attempt_at` integer,
	`provider_id` text,
	`provider_status` text,
	`last_error` text,
	`sent_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`signal_id`) REFERENCES `smoke_signals`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_provider_idx` ON `outbox` (`provider_id`);--> statement-breakpoint
CREATE TABLE `outbox_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`outbox_id` text NOT NULL,
	`outcome` text NOT NULL,
	`error_code` integer,
	`detail` text,
	`started_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `outbox_attempts_outbox_idx` ON `outbox_attempts` (`outbox_id`);--> statement-breakpoint
CREATE TABLE `sandbox_mail_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`from_address` text NOT NULL,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `smoke_signal_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`signal_id` text NOT NULL,
	`status` text NOT NULL,
	`provider_status` text,
	`error_code` integer,
	`note` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`signal_id`) REFERENCES `smoke_signals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `smoke_signal_events_signal_idx` ON `smoke_signal_events` (`signal_id`,`id`);--> statement-breakpoint
CREATE TABLE `smoke_signals` (
	`id` text PRIMARY KEY NOT NULL,
	`sender_id` text NOT NULL,
	`recipient` text NOT NULL,
	`channel` text NOT NULL,
	`message` text NOT NULL,
	`sender_name` text,
	`status` text DEFAULT 'Pending' NOT NULL,
	`provider_status` text,
	`error_code` integer,
	`reason` text,
	`provider_sid` text,
	`join_token` text NOT NULL,
	`joined_at` integer,
	`joined_member_id` text,
	`consent` text NOT NULL,
	`ip` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`sender_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`joined_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `smoke_signals_join_token_unique` ON `smoke_signals` (`join_token`);--> statement-breakpoint
CREATE INDEX `smoke_signals_sender_idx` ON `smoke_signals` (`sender_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `smoke_signals_recipient_idx` ON `smoke_signals` (`recipient`,`created_at`);--> statement-breakpoint
CREATE INDEX `smoke_signals_ip_idx` ON `smoke_signals` (`ip`,`created_at`);--> statement-breakpoint
CREATE INDEX `smoke_signals_sid_idx` ON `smoke_signals` (`provider_sid`);--> statement-breakpoint
CREATE TABLE `sms_suppressions` (
	`phone` text PRIMARY KEY NOT NULL,
	`keyword` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sandbox_twilio_callbacks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_sid` text NOT NULL,
	`status` text NOT NULL,
	`url` text NOT NULL,
	`http_status` integer,
	`error` text,
	`attempted_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sandbox_twilio_callbacks_message_idx` ON `sandbox_twilio_callbacks` (`message_sid`);--> statement-breakpoint
CREATE TABLE `sandbox_twilio_messages` (
	`sid` text PRIMARY KEY NOT NULL,
	`account_sid` text NOT NULL,
	`messaging_service_sid` text,
	`direction` text NOT NULL,
	`from` text NOT NULL,
	`to` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`error_code` integer,
	`error_message` text,
	`num_segments` integer NOT NULL,
	`status_callback` text,
	`callback_status` text,
	`next_at` integer,
	`date_created` integer NOT NULL,
	`date_updated` integer NOT NULL,
	`date_sent` integer,
	`reply_http_status` integer,
	`reply_body` text,
	`reply_error` text
);
--> statement-breakpoint
CREATE INDEX `sandbox_twilio_messages_to_idx` ON `sandbox_twilio_messages` (`to`,`date_created`);--> statement-breakpoint
CREATE INDEX `sandbox_twilio_messages_next_idx` ON `sandbox_twilio_messages` (`next_at`);