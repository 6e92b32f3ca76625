import { Box, Text } from 'ink';
import type { MemberDetail } from '../../core/index.js';
import type { Translate } from '../i18n.js';
import type { ConfirmAction, Modal } from '../state.js';
import { TextField } from './text-field.js';

function confirmText(a: ConfirmAction, userId: string, tr: Translate): string {
  switch (a.type) {
    case 'reissue':
      return tr('tui.confirm.reissue', { userId });
    case 'removeOne':
      return tr('tui.confirm.removeOne', { userId, device: `${a.device.kind}:${a.device.name}` });
    case 'removeAll':
      return tr('tui.confirm.removeAll', { userId, count: a.count });
    case 'disable':
      return tr('tui.confirm.disable', { userId });
  }
}

/** Dialogs shown in place of the detail pane: typed confirmation, device choice, rename, new password. */
export function ModalView({ modal, detail, tr }: { modal: Modal; detail: MemberDetail; tr: Translate }) {
  switch (modal.kind) {
    case 'confirm':
      return (
        <Box flexDirection="column">
          <Text color="yellow" wrap="wrap">
            {confirmText(modal.action, detail.userId, tr)}
          </Text>
          <Text> </Text>
          <TextField label={tr('tui.confirm.prompt')} value={modal.typed} focused />
        </Box>
      );
    case 'pick':
      return (
        <Box flexDirection="column">
          <Text bold>{tr('tui.pick.title')}</Text>
          {detail.devices.map((d, i) => (
            <Text key={`${d.kind}:${d.name}`} inverse={i === modal.index} wrap="truncate-end">
              {i === modal.index ? '>' : ' '} {d.kind === 'otp' ? 'OTP' : tr('devices.passkey')}:{d.name}
            </Text>
          ))}
        </Box>
      );
    case 'rename':
      return (
        <Box flexDirection="column">
          <Text bold>
            {tr('tui.rename.title')} ({detail.userId})
          </Text>
          <TextField label={tr('tui.field.name')} value={modal.name} focused={modal.field === 'name'} />
          <TextField label={tr('tui.field.kana')} value={modal.kana} focused={modal.field === 'kana'} />
        </Box>
      );
    case 'secret':
      return (
        <Box flexDirection="column" borderStyle="double" borderColor="yellow" paddingX={1}>
          <Text bold color="yellow" wrap="wrap">
            {tr('tui.secret.title')}
          </Text>
          <Text>
            {tr('member.userId')}: <Text bold>{modal.userId}</Text>
          </Text>
          <Text>
            {tr('member.password')}: <Text bold>{modal.password}</Text>
          </Text>
        </Box>
      );
    case 'publish':
      return <TextField label={tr('tui.terms.publishPrompt')} value={modal.path} focused />;
  }
}
