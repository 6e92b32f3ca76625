import { Migration } from '@mikro-orm/migrations';

/** Single sign-on (issue 14): signing keys, registered clients, the OpenID Provider's state, member subjects. */
export class Migration20261130110000_oidc extends Migration {

  override name = 'Migration20261130110000_oidc';

  override up(): void | Promise<void> {
    this.addSql(`create table \`oidc_key\` (\`id\` integer not null primary key autoincrement, \`society_id\` integer not null, \`kid\` text not null, \`key_use\` text not null, \`alg\` text not null, \`public_jwk\` text null, \`private_sealed\` text not null, \`created_at\` datetime not null, \`retired_at\` datetime null, constraint \`oidc_key_society_id_foreign\` foreign key (\`society_id\`) references \`society\` (\`id\`));`);
    this.addSql(`create unique index \`oidc_key_society_id_kid_unique\` on \`oidc_key\` (\`society_id\`, \`kid\`);`);

    this.addSql(`create table \`oidc_client\` (\`id\` integer not null primary key autoincrement, \`society_id\` integer not null, \`client_id\` text not null, \`name\` text not null, \`redirect_uris\` text not null, \`post_logout_redirect_uris\` text not null, \`first_party\` integer not null, \`public_client\` integer not null, \`secret_sealed\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`oidc_client_society_id_foreign\` foreign key (\`society_id\`) references \`society\` (\`id\`));`);
    this.addSql(`create unique index \`oidc_client_client_id_unique\` on \`oidc_client\` (\`client_id\`);`);

    this.addSql(`create table \`oidc_payload\` (\`society_id\` integer not null, \`kind\` text not null, \`id\` text not null, \`payload\` text not null, \`grant_id\` text null, \`user_code\` text null, \`uid\` text null, \`expires_at\` datetime null, \`consumed_at\` datetime null, primary key (\`society_id\`, \`kind\`, \`id\`));`);
    this.addSql(`create index \`oidc_payload_grant_id_index\` on \`oidc_payload\` (\`society_id\`, \`grant_id\`);`);
    this.addSql(`create index \`oidc_payload_uid_index\` on \`oidc_payload\` (\`society_id\`, \`kind\`, \`uid\`);`);
    this.addSql(`create index \`oidc_payload_expires_at_index\` on \`oidc_payload\` (\`expires_at\`);`);

    this.addSql(`create table \`oidc_subject\` (\`id\` integer not null primary key autoincrement, \`society_id\` integer not null, \`member_id\` integer not null, \`sub\` text not null, constraint \`oidc_subject_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on delete cascade);`);
    this.addSql(`create unique index \`oidc_subject_member_id_unique\` on \`oidc_subject\` (\`member_id\`);`);
    this.addSql(`create unique index \`oidc_subject_society_id_sub_unique\` on \`oidc_subject\` (\`society_id\`, \`sub\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`oidc_subject\`;`);
    this.addSql(`drop table if exists \`oidc_payload\`;`);
    this.addSql(`drop table if exists \`oidc_client\`;`);
    this.addSql(`drop table if exists \`oidc_key\`;`);
  }

}
