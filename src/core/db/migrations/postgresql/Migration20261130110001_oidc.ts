import { Migration } from '@mikro-orm/migrations';

/** Single sign-on (issue 14): signing keys, registered clients, the OpenID Provider's state, member subjects. */
export class Migration20261130110001_oidc extends Migration {

  override name = 'Migration20261130110001_oidc';

  override up(): void | Promise<void> {
    this.addSql(`create table "oidc_key" ("id" serial primary key, "society_id" int not null, "kid" varchar(64) not null, "key_use" varchar(16) not null, "alg" varchar(16) not null, "public_jwk" text null, "private_sealed" text not null, "created_at" timestamptz not null, "retired_at" timestamptz null);`);
    this.addSql(`alter table "oidc_key" add constraint "oidc_key_society_id_kid_unique" unique ("society_id", "kid");`);
    this.addSql(`alter table "oidc_key" add constraint "oidc_key_society_id_foreign" foreign key ("society_id") references "society" ("id");`);

    this.addSql(`create table "oidc_client" ("id" serial primary key, "society_id" int not null, "client_id" varchar(64) not null, "name" varchar(100) not null, "redirect_uris" text not null, "post_logout_redirect_uris" text not null, "first_party" boolean not null, "public_client" boolean not null, "secret_sealed" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`alter table "oidc_client" add constraint "oidc_client_client_id_unique" unique ("client_id");`);
    this.addSql(`alter table "oidc_client" add constraint "oidc_client_society_id_foreign" foreign key ("society_id") references "society" ("id");`);

    this.addSql(`create table "oidc_payload" ("society_id" int not null, "kind" varchar(40) not null, "id" varchar(255) not null, "payload" text not null, "grant_id" varchar(255) null, "user_code" varchar(255) null, "uid" varchar(255) null, "expires_at" timestamptz null, "consumed_at" timestamptz null, primary key ("society_id", "kind", "id"));`);
    this.addSql(`create index "oidc_payload_grant_id_index" on "oidc_payload" ("society_id", "grant_id");`);
    this.addSql(`create index "oidc_payload_uid_index" on "oidc_payload" ("society_id", "kind", "uid");`);
    this.addSql(`create index "oidc_payload_expires_at_index" on "oidc_payload" ("expires_at");`);

    this.addSql(`create table "oidc_subject" ("id" serial primary key, "society_id" int not null, "member_id" int not null, "sub" varchar(64) not null);`);
    this.addSql(`alter table "oidc_subject" add constraint "oidc_subject_member_id_unique" unique ("member_id");`);
    this.addSql(`alter table "oidc_subject" add constraint "oidc_subject_society_id_sub_unique" unique ("society_id", "sub");`);
    this.addSql(`alter table "oidc_subject" add constraint "oidc_subject_member_id_foreign" foreign key ("member_id") references "member" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "oidc_subject" cascade;`);
    this.addSql(`drop table if exists "oidc_payload" cascade;`);
    this.addSql(`drop table if exists "oidc_client" cascade;`);
    this.addSql(`drop table if exists "oidc_key" cascade;`);
  }

}
