import { Migration } from '@mikro-orm/migrations';

export class Migration20261130100000_member_security extends Migration {

  override name = 'Migration20261130100000_member_security';

  override up(): void | Promise<void> {
    this.addSql(`create table \`known_device\` (\`id\` integer not null primary key autoincrement, \`society_id\` integer not null, \`member_id\` integer not null, \`device_hash\` text not null, \`user_agent\` text null, \`first_seen_at\` datetime not null, \`last_seen_at\` datetime not null, constraint \`known_device_society_id_foreign\` foreign key (\`society_id\`) references \`society\` (\`id\`), constraint \`known_device_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`known_device_society_id_index\` on \`known_device\` (\`society_id\`);`);
    this.addSql(`create unique index \`known_device_member_id_device_hash_unique\` on \`known_device\` (\`member_id\`, \`device_hash\`);`);

    this.addSql(`create table \`recovery_code\` (\`id\` integer not null primary key autoincrement, \`society_id\` integer not null, \`member_id\` integer not null, \`code_hash\` text not null, \`created_at\` datetime not null, \`used_at\` datetime null, constraint \`recovery_code_society_id_foreign\` foreign key (\`society_id\`) references \`society\` (\`id\`), constraint \`recovery_code_member_id_foreign\` foreign key (\`member_id\`) references \`member\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`recovery_code_society_id_index\` on \`recovery_code\` (\`society_id\`);`);
    this.addSql(`create unique index \`recovery_code_member_id_code_hash_unique\` on \`recovery_code\` (\`member_id\`, \`code_hash\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`known_device\`;`);
    this.addSql(`drop table if exists \`recovery_code\`;`);
  }

}
