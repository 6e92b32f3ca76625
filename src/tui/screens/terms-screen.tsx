import { Box, Text } from 'ink';
import type { TermsSummary } from '../../core/index.js';
import { localTime } from '../../staff-text/format.js';
import type { Translate } from '../i18n.js';
import type { Modal } from '../state.js';
import { TextField } from '../components/text-field.js';

interface Props {
  width: number;
  height: number;
  versions: TermsSummary[] | null;
  pending: { version: number | null; total: number } | null;
  modal: Modal | null;
  tr: Translate;
}

/** Published versions with acceptance counts, how many have not accepted the current one, publish. */
export function TermsScreen({ width, height, versions, pending, modal, tr }: Props) {
  const rows = Math.max(1, height - 5);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="single" paddingX={1} overflow="hidden">
      <Text bold>{tr('tui.terms.title')}</Text>
      <Text wrap="truncate-end">{pending === null ? ' ' : pending.version === null ? tr('terms.none') : tr('tui.terms.pending', { version: pending.version, total: pending.total })}</Text>
      {modal?.kind === 'publish' ? <TextField label={tr('tui.terms.publishPrompt')} value={modal.path} focused /> : <Text> </Text>}
      {(versions ?? []).slice(0, rows).map((v) => (
        <Text key={v.version} wrap="truncate-end">
          {tr('tui.terms.row', { version: v.version, date: localTime(v.publishedAt), title: v.title, accepted: v.acceptedBy })}
        </Text>
      ))}
    </Box>
  );
}
