CREATE TABLE `account_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text,
	`purpose` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`notification_id` text,
	`expires_at` integer,
	`state` text DEFAULT 'queued' NOT NULL,
	`reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`notification_id`) REFERENCES `notifications`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `account_messages_member_idx` ON `account_messages` (`member_id`,`channel`,`created_at`);--> statement-breakpoint
CREATE TABLE `alert_preferences` (
	`member_id` text NOT NULL,
	`event` text NOT NULL,
	`in_app` integer NOT NULL,
	`email` integer NOT NULL,
	`sms` integer NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`member_id`, `event`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `email_unsubscribe_tokens` ADD `member_id` text REFERENCES members(id) ON DELETE cascade;--> statement-breakpoint
ALTER TABLE `email_unsubscribe_tokens` ADD `event` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `event` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `in_app` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `notifications` ADD `note` text;--> statement-breakpoint
-- Hand-written: the join alert (messaging_preferences) becomes the "invitee_joined" alert's preferences. "email" and
-- "sms" keep their channel beside the in-app notification; "none" is the event's default (in the app only). An SMS
-- alert now goes only to a verified number (decision 045): the number the member typed is kept as their profile's
-- unverified phone, when they have none, for phone verification to offer.
INSERT INTO `alert_preferences` (`member_id`, `event`, `in_app`, `email`, `sms`, `updated_at`)
  SELECT `member_id`, 'invitee_joined', 1, `join_alert` = 'email', `join_alert` = 'sms', `updated_at`
  FROM `messaging_preferences` WHERE `join_alert` IN ('email', 'sms');
--> statement-breakpoint
UPDATE `profiles` SET `phone` = (
    SELECT `alert_phone` FROM `messaging_preferences` WHERE `messaging_preferences`.`member_id` = `profiles`.`member_id`
  )
  WHERE `phone` IS NULL AND `phone_verified_at` IS NULL AND EXISTS (
    SELECT 1 FROM `messaging_preferences` WHERE `messaging_preferences`.`member_id` = `profiles`.`member_id`
      AND `join_alert` = 'sms' AND `alert_phone` IS NOT NULL
  );
--> statement-breakpoint
DROP TABLE `messaging_preferences`;