import type { LoginStep } from '../core/auth/login-step.js';

/** The page of each login step: the only way the portal moves a member through the login. */
export const STEP_PATHS: Record<LoginStep, string> = {
  birth_date: '/login/birth-date',
  terms: '/login/terms',
  user_id: '/login/user-id',
  password: '/login/password',
  email: '/login/email',
  factor_setup: '/setup/factor',
  second_factor: '/login/second-factor',
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
