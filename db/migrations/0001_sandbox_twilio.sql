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