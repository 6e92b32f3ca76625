import { Migration } from '@mikro-orm/migrations';

export class Migration20261130100001_member_security extends Migration {

  override name = 'Migration20261130100001_member_security';

  override up(): void | Promise<void> {
    this.addSql(`create table "known_device" ("id" serial primary key, "society_id" int not null, "member_id" int not null, "device_hash" varchar(64) not null, "user_agent" varchar(255) null, "first_seen_at" timestamptz not null, "last_seen_at" timestamptz not null);`);
    this.addSql(`create index "known_device_society_id_index" on "known_device" ("society_id");`);
    this.addSql(`alter table "known_device" add constraint "known_device_member_id_device_hash_unique" unique ("member_id", "device_hash");`);
    this.addSql(`alter table "known_device" add constraint "known_device_society_id_foreign" foreign key ("society_id") references "society" ("id");`);
    this.addSql(`alter table "known_device" add constraint "known_device_member_id_foreign" foreign key ("member_id") references "member" ("id") on delete cascade;`);

    this.addSql(`create table "recovery_code" ("id" serial primary key, "society_id" int not null, "member_id" int not null, "code_hash" varchar(64) not null, "created_at" timestamptz not null, "used_at" timestamptz null);`);
    this.addSql(`create index "recovery_code_society_id_index" on "recovery_code" ("society_id");`);
    this.addSql(`alter table "recovery_code" add constraint "recovery_code_member_id_code_hash_unique" unique ("member_id", "code_hash");`);
    this.addSql(`alter table "recovery_code" add constraint "recovery_code_society_id_foreign" foreign key ("society_id") references "society" ("id");`);
    this.addSql(`alter table "recovery_code" add constraint "recovery_code_member_id_foreign" foreign key ("member_id") references "member" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "known_device" cascade;`);
    this.addSql(`drop table if exists "recovery_code" cascade;`);
  }

}
