import { Migration } from '@mikro-orm/migrations';

export class Migration20261124180427_initial extends Migration {

  override name = 'Migration20261124180427_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table \`society\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`name\` text not null, \`portal_title\` text not null, \`settings\` json not null, \`created_at\` datetime not null, \`updated_at\` datetime not null);`);
    this.addSql(`create unique index \`society_code_unique\` on \`society\` (\`code\`);`);

    this.addSql(`create table \`member\` (\`id\` integer not null primary key autoincrement, \`society_id\` integer not null, \`user_id\` text not null, \`name\` text not null, \`kana\` text not null, \`birth_date\` text not null, \`card_symbol\` text null, \`card_number\` text null, \`card_branch\` text null, \`card_key\` text null, \`relationship\` text not null, \`email\` text null, \`status\` text not null, \`preferred_method\` text null, \`onboarding_step\` text null, \`provisional_expires_at\` datetime null, \`issued_at\` datetime not null, \`first_login_at\` datetime null, \`last_login_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`member_society_id_foreign\` foreign key (\`society_id\`) references \`society\` (\`id\`));`);
    this.addSql(`create index \`member_society_id_index\` on \`member\` (\`society_id\`);`);
    this.addSql(`create index \`member_society_id_email_index\` on \`member\` (\`society_id\`, \`email\`);`);
    this.addSql(`create index \`member_society_id_kana_index\` on \`member\` (\`society_id\`, \`kana\`);`);
    this.addSql(`create index \`member_society_id_card_number_index\` on \`member\` (\`society_id\`, \`card_number\`);`);
    this.addSql(`create unique index \`member_society_id_user_id_unique\` on \`member\` (\`society_id\`, \`user_id\`);`);
    this.addSql(`create unique index \`member_society_id_card_key_unique\` on \`member\` (\`society_id\`, \`card_key\`);`);

    this.addSql(`create table \`session\` (\`id\` integer not null primary key autoincrement, \`society_id\` integer not null, \`member_id\` integer null, \`token_hash\` text not null, \`state\` json not null, \`persistent\` integer not null, \`authenticated_at\` datetime null, \`created_at\` datetime not null, \`last_seen_at\` datetime not null, \`idle_expires_at\` datetime not null, \`absolute_expires_at\` datetime not null, \`ip\` text null, \`user_agent\` text null, constraint \`session_society_id_foreign\` foreign key (\`society_id\`) references \`society\` (\`id\`), constraint \`session_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on delete set null);`);
    this.addSql(`create index \`session_society_id_index\` on \`session\` (\`society_id\`);`);
    this.addSql(`create index \`session_member_id_index\` on \`session\` (\`member_id\`);`);
    this.addSql(`create unique index \`session_token_hash_unique\` on \`session\` (\`token_hash\`);`);

    this.addSql(`create table \`password_credential\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`hash\` text not null, \`provisional\` integer not null, \`created_at\` datetime not null, constraint \`password_credential_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`));`);
    this.addSql(`create unique index \`password_credential_member_id_unique\` on \`password_credential\` (\`member_id\`);`);

    this.addSql(`create table \`passkey\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`label\` text not null, \`credential_id\` text not null, \`public_key\` text not null, \`counter\` bigint not null, \`transports\` json not null, \`created_at\` datetime not null, \`last_used_at\` datetime null, constraint \`passkey_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`));`);
    this.addSql(`create index \`passkey_member_id_index\` on \`passkey\` (\`member_id\`);`);
    this.addSql(`create unique index \`passkey_credential_id_unique\` on \`passkey\` (\`credential_id\`);`);
    this.addSql(`create unique index \`passkey_member_id_label_unique\` on \`passkey\` (\`member_id\`, \`label\`);`);

    this.addSql(`create table \`one_time_token\` (\`id\` integer not null primary key autoincrement, \`society_id\` integer not null, \`member_id\` integer not null, \`purpose\` text not null, \`token_hash\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`used_at\` datetime null, \`superseded_at\` datetime null, constraint \`one_time_token_society_id_foreign\` foreign key (\`society_id\`) references \`society\` (\`id\`), constraint \`one_time_token_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`));`);
    this.addSql(`create index \`one_time_token_society_id_index\` on \`one_time_token\` (\`society_id\`);`);
    this.addSql(`create index \`one_time_token_member_id_index\` on \`one_time_token\` (\`member_id\`);`);
    this.addSql(`create unique index \`one_time_token_token_hash_unique\` on \`one_time_token\` (\`token_hash\`);`);

    this.addSql(`create table \`lockout_state\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`failures\` integer not null, \`last_failure_at\` datetime null, \`blocked_until\` datetime null, \`locked_at\` datetime null, constraint \`lockout_state_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`));`);
    this.addSql(`create unique index \`lockout_state_member_id_unique\` on \`lockout_state\` (\`member_id\`);`);

    this.addSql(`create table \`mail_message\` (\`id\` integer not null primary key autoincrement, \`society_id\` integer not null, \`member_id\` integer null, \`kind\` text not null, \`to_address\` text not null, \`subject\` text not null, \`body_text\` text not null, \`body_html\` text null, \`status\` text not null, \`attempts\` integer not null, \`next_attempt_at\` datetime not null, \`last_error\` text null, \`message_id\` text null, \`created_at\` datetime not null, \`sent_at\` datetime null, constraint \`mail_message_society_id_foreign\` foreign key (\`society_id\`) references \`society\` (\`id\`));`);
    this.addSql(`create index \`mail_message_society_id_index\` on \`mail_message\` (\`society_id\`);`);
    this.addSql(`create index \`mail_message_status_index\` on \`mail_message\` (\`status\`);`);

    this.addSql(`create table \`audit_event\` (\`id\` integer not null primary key autoincrement, \`society_id\` integer not null, \`at\` datetime not null, \`actor_type\` text not null, \`actor\` text not null, \`member_id\` integer null, \`member_user_id\` text null, \`action\` text not null, \`outcome\` text not null, \`ip\` text null, \`details\` json null, constraint \`audit_event_society_id_foreign\` foreign key (\`society_id\`) references \`society\` (\`id\`));`);
    this.addSql(`create index \`audit_event_society_id_index\` on \`audit_event\` (\`society_id\`);`);
    this.addSql(`create index \`audit_event_member_id_index\` on \`audit_event\` (\`member_id\`);`);
    this.addSql(`create index \`audit_event_action_index\` on \`audit_event\` (\`action\`);`);
    this.addSql(`create index \`audit_event_society_id_at_index\` on \`audit_event\` (\`society_id\`, \`at\`);`);

    this.addSql(`create table \`terms_version\` (\`id\` integer not null primary key autoincrement, \`society_id\` integer not null, \`version\` integer not null, \`title\` text not null, \`body\` text not null, \`published_at\` datetime not null, \`published_by\` text not null, constraint \`terms_version_society_id_foreign\` foreign key (\`society_id\`) references \`society\` (\`id\`));`);
    this.addSql(`create index \`terms_version_society_id_index\` on \`terms_version\` (\`society_id\`);`);
    this.addSql(`create unique index \`terms_version_society_id_version_unique\` on \`terms_version\` (\`society_id\`, \`version\`);`);

    this.addSql(`create table \`terms_acceptance\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`terms_version_id\` integer not null, \`version\` integer not null, \`accepted_at\` datetime not null, \`ip\` text null, constraint \`terms_acceptance_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`), constraint \`terms_acceptance_terms_version_id_foreign\` foreign key (\`terms_version_id\`) references \`terms_version\` (\`id\`));`);
    this.addSql(`create index \`terms_acceptance_member_id_index\` on \`terms_acceptance\` (\`member_id\`);`);
    this.addSql(`create index \`terms_acceptance_terms_version_id_index\` on \`terms_acceptance\` (\`terms_version_id\`);`);
    this.addSql(`create unique index \`terms_acceptance_member_id_terms_version_id_unique\` on \`terms_acceptance\` (\`member_id\`, \`terms_version_id\`);`);

    this.addSql(`create table \`totp_device\` (\`id\` integer not null primary key autoincrement, \`member_id\` integer not null, \`name\` text not null, \`secret_enc\` text not null, \`last_used_step\` bigint null, \`created_at\` datetime not null, \`last_used_at\` datetime null, constraint \`totp_device_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`));`);
    this.addSql(`create index \`totp_device_member_id_index\` on \`totp_device\` (\`member_id\`);`);
    this.addSql(`create unique index \`totp_device_member_id_name_unique\` on \`totp_device\` (\`member_id\`, \`name\`);`);
  }

}
