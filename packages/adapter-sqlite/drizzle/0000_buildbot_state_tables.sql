CREATE TABLE IF NOT EXISTS `object_state` (
	`objectid` integer NOT NULL,
	`name` text(255) NOT NULL,
	`value_json` text NOT NULL,
	FOREIGN KEY (`objectid`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `name_per_object` ON `object_state` (`objectid`,`name`);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `objects` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text(128) NOT NULL,
	`class_name` text(128) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `object_identity` ON `objects` (`name`,`class_name`);