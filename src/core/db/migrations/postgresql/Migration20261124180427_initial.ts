import { Migration } from '@mikro-orm/migrations';

export class Migration20261124180427_initial extends Migration {

  override name = 'Migration20261124180427_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "society" ("id" serial primary key, "code" varchar(32) not null, "name" varchar(200) not null, "portal_title" varchar(200) not null, "settings" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`alter table "society" add constraint "society_code_unique" unique ("code");`);

    this.addSql(`create table "member" ("id" serial primary key, "society_id" int not null, "user_id" varchar(64) not null, "name" varchar(200) not null, "kana" varchar(200) not null, "birth_date" varchar(10) not null, "card_symbol" varchar(32) null, "card_number" varchar(32) null, "card_branch" varchar(8) null, "card_key" varchar(80) null, "relationship" varchar(8) not null, "email" varchar(255) null, "status" varchar(16) not null, "preferred_method" varchar(16) null, "onboarding_step" varchar(32) null, "provisional_expires_at" timestamptz null, "issued_at" timestamptz not null, "first_login_at" timestamptz null, "last_login_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "member_society_id_index" on "member" ("society_id");`);
    this.addSql(`create index "member_society_id_email_index" on "member" ("society_id", "email");`);
    this.addSql(`create index "member_society_id_kana_index" on "member" ("society_id", "kana");`);
    this.addSql(`create index "member_society_id_card_number_index" on "member" ("society_id", "card_number");`);
    this.addSql(`alter table "member" add constraint "member_society_id_user_id_unique" unique ("society_id", "user_id");`);
    this.addSql(`alter table "member" add constraint "member_society_id_card_key_unique" unique ("society_id", "card_key");`);

    this.addSql(`create table "session" ("id" serial primary key, "society_id" int not null, "member_id" int null, "token_hash" varchar(64) not null, "state" jsonb not null, "persistent" boolean not null, "authenticated_at" timestamptz null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "idle_expires_at" timestamptz not null, "absolute_expires_at" timestamptz not null, "ip" varchar(64) null, "user_agent" varchar(255) null);`);
    this.addSql(`create index "session_society_id_index" on "session" ("society_id");`);
    this.addSql(`create index "session_member_id_index" on "session" ("member_id");`);
    this.addSql(`alter table "session" add constraint "session_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "password_credential" ("id" serial primary key, "member_id" int not null, "hash" varchar(255) not null, "provisional" boolean not null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "password_credential" add constraint "password_credential_member_id_unique" unique ("member_id");`);

    this.addSql(`create table "passkey" ("id" serial primary key, "member_id" int not null, "label" varchar(64) not null, "credential_id" varchar(1400) not null, "public_key" text not null, "counter" bigint not null, "transports" jsonb not null, "created_at" timestamptz not null, "last_used_at" timestamptz null);`);
    this.addSql(`create index "passkey_member_id_index" on "passkey" ("member_id");`);
    this.addSql(`alter table "passkey" add constraint "passkey_credential_id_unique" unique ("credential_id");`);
    this.addSql(`alter table "passkey" add constraint "passkey_member_id_label_unique" unique ("member_id", "label");`);

    this.addSql(`create table "one_time_token" ("id" serial primary key, "society_id" int not null, "member_id" int not null, "purpose" varchar(32) not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "superseded_at" timestamptz null);`);
    this.addSql(`create index "one_time_token_society_id_index" on "one_time_token" ("society_id");`);
    this.addSql(`create index "one_time_token_member_id_index" on "one_time_token" ("member_id");`);
    this.addSql(`alter table "one_time_token" add constraint "one_time_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "lockout_state" ("id" serial primary key, "member_id" int not null, "failures" int not null, "last_failure_at" timestamptz null, "blocked_until" timestamptz null, "locked_at" timestamptz null);`);
    this.addSql(`alter table "lockout_state" add constraint "lockout_state_member_id_unique" unique ("member_id");`);

    this.addSql(`create table "mail_message" ("id" serial primary key, "society_id" int not null, "member_id" int null, "kind" varchar(64) not null, "to_address" varchar(255) not null, "subject" varchar(255) not null, "body_text" text not null, "body_html" text null, "status" varchar(16) not null, "attempts" int not null, "next_attempt_at" timestamptz not null, "last_error" varchar(500) null, "message_id" varchar(255) null, "created_at" timestamptz not null, "sent_at" timestamptz null);`);
    this.addSql(`create index "mail_message_society_id_index" on "mail_message" ("society_id");`);
    this.addSql(`create index "mail_message_status_index" on "mail_message" ("status");`);

    this.addSql(`create table "audit_event" ("id" serial primary key, "society_id" int not null, "at" timestamptz not null, "actor_type" varchar(16) not null, "actor" varchar(100) not null, "member_id" int null, "member_user_id" varchar(64) null, "action" varchar(64) not null, "outcome" varchar(16) not null, "ip" varchar(64) null, "details" jsonb null);`);
    this.addSql(`create index "audit_event_society_id_index" on "audit_event" ("society_id");`);
    this.addSql(`create index "audit_event_member_id_index" on "audit_event" ("member_id");`);
    this.addSql(`create index "audit_event_action_index" on "audit_event" ("action");`);
    this.addSql(`create index "audit_event_society_id_at_index" on "audit_event" ("society_id", "at");`);

    this.addSql(`create table "terms_version" ("id" serial primary key, "society_id" int not null, "version" int not null, "title" varchar(200) not null, "body" text not null, "published_at" timestamptz not null, "published_by" varchar(100) not null);`);
    this.addSql(`create index "terms_version_society_id_index" on "terms_version" ("society_id");`);
    this.addSql(`alter table "terms_version" add constraint "terms_version_society_id_version_unique" unique ("society_id", "version");`);

    this.addSql(`create table "terms_acceptance" ("id" serial primary key, "member_id" int not null, "terms_version_id" int not null, "version" int not null, "accepted_at" timestamptz not null, "ip" varchar(64) null);`);
    this.addSql(`create index "terms_acceptance_member_id_index" on "terms_acceptance" ("member_id");`);
    this.addSql(`alter table "terms_acceptance" add constraint "terms_acceptance_member_id_terms_version_id_unique" unique ("member_id", "terms_version_id");`);

    this.addSql(`create table "totp_device" ("id" serial primary key, "member_id" int not null, "name" varchar(64) not null, "secret_enc" text not null, "last_used_step" bigint null, "created_at" timestamptz not null, "last_used_at" timestamptz null);`);
    this.addSql(`create index "totp_device_member_id_index" on "totp_device" ("member_id");`);
    this.addSql(`alter table "totp_device" add constraint "totp_device_member_id_name_unique" unique ("member_id", "name");`);

    this.addSql(`alter table "member" add constraint "member_society_id_foreign" foreign key ("society_id") references "society" ("id");`);

    this.addSql(`alter table "session" add constraint "session_society_id_foreign" foreign key ("society_id") references "society" ("id");`);
    this.addSql(`alter table "session" add constraint "session_member_id_foreign" foreign key ("member_id") references "member" ("id") on delete set null;`);

    this.addSql(`alter table "password_credential" add constraint "password_credential_member_id_foreign" foreign key ("member_id") references "member" ("id");`);

    this.addSql(`alter table "passkey" add constraint "passkey_member_id_foreign" foreign key ("member_id") references "member" ("id");`);

    this.addSql(`alter table "one_time_token" add constraint "one_time_token_society_id_foreign" foreign key ("society_id") references "society" ("id");`);
    this.addSql(`alter table "one_time_token" add constraint "one_time_token_member_id_foreign" foreign key ("member_id") references "member" ("id");`);

    this.addSql(`alter table "lockout_state" add constraint "lockout_state_member_id_foreign" foreign key ("member_id") references "member" ("id");`);

    this.addSql(`alter table "mail_message" add constraint "mail_message_society_id_foreign" foreign key ("society_id") references "society" ("id");`);

    this.addSql(`alter table "audit_event" add constraint "audit_event_society_id_foreign" foreign key ("society_id") references "society" ("id");`);

    this.addSql(`alter table "terms_version" add constraint "terms_version_society_id_foreign" foreign key ("society_id") references "society" ("id");`);

    this.addSql(`alter table "terms_acceptance" add constraint "terms_acceptance_member_id_foreign" foreign key ("member_id") references "member" ("id");`);
    this.addSql(`alter table "terms_acceptance" add constraint "terms_acceptance_terms_version_id_foreign" foreign key ("terms_version_id") references "terms_version" ("id");`);

    this.addSql(`alter table "totp_device" add constraint "totp_device_member_id_foreign" foreign key ("member_id") references "member" ("id");`);
  }

}
