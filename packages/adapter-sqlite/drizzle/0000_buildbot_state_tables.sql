CREATE TABLE IF NOT EXISTS "objects" (
	"id" INTEGER NOT NULL,
	"name" VARCHAR(128) NOT NULL,
	"class_name" VARCHAR(128) NOT NULL,
	PRIMARY KEY ("id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "object_identity" ON "objects" ("name", "class_name");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "object_state" (
	"objectid" INTEGER NOT NULL,
	"name" VARCHAR(255) NOT NULL,
	"value_json" TEXT NOT NULL,
	FOREIGN KEY ("objectid") REFERENCES "objects" ("id") ON DELETE CASCADE
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "name_per_object" ON "object_state" ("objectid", "name");
