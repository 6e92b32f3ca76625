import type { LoginStep } from '../core/index.js';

/** The page of each login step: the only way the portal moves a member through the login. */
export const STEP_PATHS: Record<LoginStep, string> = {
  birth_date: '/login/birth-date',
  terms: '/login/terms',
  user_id: '/login/user-id',
  password: '/login/password',
  email: '/login/email',
  factor_setup: '/setup/factor',
  second_factor: '/login/second-factor',
  recovery_code: '/login/recovery-code',
  done: '/',
};

/** The first-login steps in the order of SCREENS.md §2.3, for the progress indicator. */
export const FIRST_LOGIN_STEPS: { step: LoginStep; label: string }[] = [
  { step: 'birth_date', label: '生年月日' },
  { step: 'terms', label: '利用規約' },
  { step: 'user_id', label: 'ユーザID' },
  { step: 'password', label: 'パスワード' },
  { step: 'email', label: 'メール' },
  { step: 'factor_setup', label: '認証設定' },
];

/**
 * The password reset's steps (a session opened by a reset link, §2.10), with the sentence saying
 * what comes next (issue 12: the member always knows this is the reset and what follows).
 * After `スマートデバイスを紛失した場合` the birth date and a new device come first.
 */
export function recoverySteps(lostDevice: boolean): { step: LoginStep; label: string; next: string }[] {
  const password = { step: 'password' as const, label: '新しいパスワード', next: '新しいパスワードを設定すると、パスワードの再設定は完了です。' };
  if (lostDevice) {
    return [
      { step: 'birth_date', label: '生年月日', next: '生年月日で本人確認をしたあと、新しいスマートデバイスを設定し、次にパスワードを変更します。' },
      { step: 'factor_setup', label: '認証の再設定', next: '新しいスマートデバイスを設定したら、次にパスワードを変更します。' },
      password,
    ];
  }
  return [{ step: 'second_factor', label: '本人確認', next: '本人確認ができたら、次にパスワードを変更します。' }, password];
}
