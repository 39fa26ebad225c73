CREATE TABLE `sandbox_twilio_verifications` (
	`sid` text PRIMARY KEY NOT NULL,
	`account_sid` text NOT NULL,
	`service_sid` text NOT NULL,
	`to` text NOT NULL,
	`channel` text NOT NULL,
	`code` text NOT NULL,
	`status` text NOT NULL,
	`sends` text NOT NULL,
	`checks` integer DEFAULT 0 NOT NULL,
	`date_created` integer NOT NULL,
	`date_updated` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sandbox_twilio_verifications_to_idx` ON `sandbox_twilio_verifications` (`service_sid`,`to`,`date_created`);--> statement-breakpoint
CREATE TABLE `phone_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`purpose` text NOT NULL,
	`phone` text NOT NULL,
	`via` text NOT NULL,
	`code_hash` text,
	`verification_sid` text,
	`account_message_id` text,
	`challenge_id` text,
	`tries` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`ended_at` integer,
	`ended_reason` text,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `phone_codes_member_idx` ON `phone_codes` (`member_id`,`purpose`,`created_at`);--> statement-breakpoint
CREATE INDEX `phone_codes_phone_idx` ON `phone_codes` (`phone`,`created_at`);--> statement-breakpoint
CREATE INDEX `phone_codes_created_idx` ON `phone_codes` (`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `recovery_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recovery_codes_hash_idx` ON `recovery_codes` (`member_id`,`code_hash`);--> statement-breakpoint
CREATE TABLE `remembered_devices` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`device` text NOT NULL,
	`browser` text NOT NULL,
	`address` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_used_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `remembered_devices_member_idx` ON `remembered_devices` (`member_id`,`device`);--> statement-breakpoint
CREATE TABLE `two_factor` (
	`member_id` text PRIMARY KEY NOT NULL,
	`totp_secret` text,
	`totp_enabled_at` integer,
	`totp_last_step` integer,
	`pending_secret` text,
	`pending_created_at` integer,
	`sms_enabled` integer DEFAULT false NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `two_factor_challenges` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`address` text,
	`device` text,
	`user_agent` text,
	`tries` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `two_factor_challenges_member_idx` ON `two_factor_challenges` (`member_id`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `second_factor` text;--> statement-breakpoint
CREATE UNIQUE INDEX `profiles_verified_phone_idx` ON `profiles` (`phone`) WHERE "profiles"."phone_verified_at" is not null;