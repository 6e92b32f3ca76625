import { Migration } from '@mikro-orm/migrations';

export class Migration20261130002440_throttle_challenge extends Migration {

  override name = 'Migration20261130002440_throttle_challenge';

  override up(): void | Promise<void> {
    this.addSql(`create table "login_throttle" ("id" serial primary key, "society_id" int not null, "subject" varchar(80) not null, "failures" int not null, "last_failure_at" timestamptz null, "blocked_until" timestamptz null, "locked_at" timestamptz null);`);
    this.addSql(`create index "login_throttle_society_id_index" on "login_throttle" ("society_id");`);
    this.addSql(`alter table "login_throttle" add constraint "login_throttle_society_id_subject_unique" unique ("society_id", "subject");`);

    this.addSql(`create table "webauthn_challenge" ("id" serial primary key, "session_id" int not null, "kind" varchar(16) not null, "challenge" varchar(128) not null, "expires_at" timestamptz not null);`);
    this.addSql(`alter table "webauthn_challenge" add constraint "webauthn_challenge_session_id_unique" unique ("session_id");`);

    this.addSql(`create table "rate_limit" ("id" serial primary key, "society_id" int not null, "subject" varchar(120) not null, "window_start" timestamptz not null, "hits" int not null);`);
    this.addSql(`create index "rate_limit_society_id_index" on "rate_limit" ("society_id");`);
    this.addSql(`alter table "rate_limit" add constraint "rate_limit_society_id_subject_window_start_unique" unique ("society_id", "subject", "window_start");`);
    this.addSql(`alter table "rate_limit" add constraint "rate_limit_society_id_foreign" foreign key ("society_id") references "society" ("id");`);

    // Carry each member's counter over: the subject of a member is 'm:<member id>'.
    this.addSql(`insert into login_throttle (society_id, subject, failures, last_failure_at, blocked_until, locked_at) select m.society_id, 'm:' || l.member_id, l.failures, l.last_failure_at, l.blocked_until, l.locked_at from lockout_state l join member m on m.id = l.member_id;`);

    this.addSql(`drop table if exists "lockout_state" cascade;`);

    this.addSql(`alter table "login_throttle" add constraint "login_throttle_society_id_foreign" foreign key ("society_id") references "society" ("id");`);

    this.addSql(`alter table "webauthn_challenge" add constraint "webauthn_challenge_session_id_foreign" foreign key ("session_id") references "session" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create table "lockout_state" ("id" serial primary key, "member_id" int4 not null, "failures" int4 not null, "last_failure_at" timestamptz(6) null, "blocked_until" timestamptz(6) null, "locked_at" timestamptz(6) null);`);
    this.addSql(`alter table "lockout_state" add constraint "lockout_state_member_id_unique" unique ("member_id");`);

    this.addSql(`drop table if exists "login_throttle" cascade;`);
    this.addSql(`drop table if exists "webauthn_challenge" cascade;`);
    this.addSql(`drop table if exists "rate_limit" cascade;`);

    this.addSql(`alter table "lockout_state" add constraint "lockout_state_member_id_foreign" foreign key ("member_id") references "member" ("id") on update no action on delete no action;`);
  }

}
