CREATE TABLE `account_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`purpose` text NOT NULL,
	`member_id` text,
	`email` text NOT NULL,
	`sent` integer NOT NULL,
	`password_hash` text,
	`screen_name` text,
	`join_token` text,
	`address` text,
	`tries` integer DEFAULT 0 NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`revoked_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `account_links_email_idx` ON `account_links` (`purpose`,`email`,`created_at`);--> statement-breakpoint
CREATE INDEX `account_links_member_idx` ON `account_links` (`purpose`,`member_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `account_links_address_idx` ON `account_links` (`purpose`,`address`,`created_at`);--> statement-breakpoint
ALTER TABLE `members` ADD `email_verified_at` integer;