import { Text } from 'ink';

/** A label and a one-line value with a block cursor while it has the focus. */
export function TextField({ label, value, focused }: { label: string; value: string; focused: boolean }) {
  return (
    <Text wrap="truncate-start">
      <Text bold={focused}>
        {focused ? '› ' : '  '}
        {label}{' '}
      </Text>
      <Text underline={focused}>{value}</Text>
      {focused ? <Text inverse> </Text> : null}
    </Text>
  );
}
