import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CallResourceShape, CommsOperationShape, OperationStatusText, Wire } from './graphWire.js';
import { read } from './read.js';

describe('notification shapes typed by the generated Graph types', () => {
  it('reads only property names the generated types have, each value untrusted', () => {
    const call = read.object<CallResourceShape>({ state: 'established', toneInfo: { tone: 'tone1' } });
    expect(call?.state).toBe('established');
    expectTypeOf(call).toEqualTypeOf<Wire<CallResourceShape> | undefined>();
    expectTypeOf<Wire<CallResourceShape>['state']>().toBeUnknown();
    // @ts-expect-error: `stat` is no property of microsoft.graph.call
    expect(call?.stat).toBeUndefined();
    const operation = read.object<CommsOperationShape>({ status: 'Completed', completionReason: 'unknown' });
    expect(operation?.completionReason).toBe('unknown');
    // @ts-expect-error: `completion` is no property of any commsOperation subtype
    expect(operation?.completion).toBeUndefined();
  });

  it('compares statuses with the generated enum in lower case', () => {
    expectTypeOf<OperationStatusText>().toEqualTypeOf<'notstarted' | 'running' | 'completed' | 'failed'>();
    expect(read.object<CallResourceShape>([])).toBeUndefined();
  });
});
