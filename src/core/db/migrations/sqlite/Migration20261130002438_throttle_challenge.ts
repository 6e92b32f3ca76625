import { Migration } from '@mikro-orm/migrations';

export class Migration20261130002438_throttle_challenge extends Migration {

  override name = 'Migration20261130002438_throttle_challenge';

  override up(): void | Promise<void> {
    this.addSql(`create table \`login_throttle\` (\`id\` integer not null primary key autoincrement, \`society_id\` integer not null, \`subject\` text not null, \`failures\` integer not null, \`last_failure_at\` datetime null, \`blocked_until\` datetime null, \`locked_at\` datetime null, constraint \`login_throttle_society_id_foreign\` foreign key (\`society_id\`) references \`society\` (\`id\`));`);
    this.addSql(`create index \`login_throttle_society_id_index\` on \`login_throttle\` (\`society_id\`);`);
    this.addSql(`create unique index \`login_throttle_society_id_subject_unique\` on \`login_throttle\` (\`society_id\`, \`subject\`);`);

    this.addSql(`create table \`webauthn_challenge\` (\`id\` integer not null primary key autoincrement, \`session_id\` integer not null, \`kind\` text not null, \`challenge\` text not null, \`expires_at\` datetime not null, constraint \`webauthn_challenge_session_id_foreign\` foreign key (\`session_id\`) references \`session\` (\`id\`) on delete cascade);`);
    this.addSql(`create unique index \`webauthn_challenge_session_id_unique\` on \`webauthn_challenge\` (\`session_id\`);`);

    this.addSql(`create table \`rate_limit\` (\`id\` integer not null primary key autoincrement, \`society_id\` integer not null, \`subject\` text not null, \`window_start\` datetime not null, \`hits\` integer not null, constraint \`rate_limit_society_id_foreign\` foreign key (\`society_id\`) references \`society\` (\`id\`));`);
    this.addSql(`create index \`rate_limit_society_id_index\` on \`rate_limit\` (\`society_id\`);`);
    this.addSql(`create unique index \`rate_limit_society_id_subject_window_start_unique\` on \`rate_limit\` (\`society_id\`, \`subject\`, \`window_start\`);`);

    // Carry each member's counter over: the subject of a member is 'm:<member id>'.
    this.addSql(`insert into login_throttle (society_id, subject, failures, last_failure_at, blocked_until, locked_at) select m.society_id, 'm:' || l.member_id, l.failures, l.last_failure_at, l.blocked_until, l.locked_at from lockout_state l join member m on m.id = l.member_id;`);

    this.addSql(`drop table if exists \`lockout_state\`;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create table \`lockout_state\` (\`id\` integer not null primary key autoincrement, \`member_id\` INTEGER not null, \`failures\` INTEGER not null, \`last_failure_at\` datetime null, \`blocked_until\` datetime null, \`locked_at\` datetime null, constraint \`lockout_state_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on update no action on delete no action);`);
    this.addSql(`create unique index \`lockout_state_member_id_unique\` on \`lockout_state\` (\`member_id\`);`);

    this.addSql(`drop table if exists \`login_throttle\`;`);
    this.addSql(`drop table if exists \`webauthn_challenge\`;`);
    this.addSql(`drop table if exists \`rate_limit\`;`);
  }

}
