// The saved segments as a required choice (form field `segmentId`): campaigns, exports and
// volunteers' lists all start from one.
import type { Segment } from '../api/types.ts';
import { SelectField } from './Field.tsx';

export function SegmentSelect({ label, segments }: { label: string; segments?: Segment[] }) {
  return (
    <SelectField
      label={label}
      name="segmentId"
      required
      options={(segments ?? []).map((s): [string, string] => [s.id, s.name])}
    />
  );
}
