import type { EmulatedOperation, GraphCall } from './GraphCall.js';
import { GraphCallJson } from './GraphCallJson.js';
import type { GraphCallService, GraphResult } from './GraphCallService.js';
import { GraphHttpError } from './GraphHttpError.js';
import type { GraphResultInfo } from './graphResults.js';

/**
 * A call's `commsOperation`s: how the service answers with them, ends them (with the forced ends and lost
 * notifications a test asks for) and serves `GET …/operations/{id}` (v1 `resources/commsoperation.md`).
 */
export class GraphOperations {
  constructor(private readonly service: GraphCallService) {}

  /** An operation as the service writes it (statuses capitalised when a test asks: docs rule 8). */
  json(call: GraphCall, operation: EmulatedOperation): Record<string, unknown> {
    const json = GraphCallJson.operation(call, operation);
    return { ...json, status: this.service.quirks.status(String(json.status)) };
  }

  /** The URL of the operation, as the `Location` header of the answer names it. */
  location(call: GraphCall, operation: EmulatedOperation): string {
    return `${this.service.options.baseUrl}/v1.0/communications/calls/${call.id}/operations/${operation.id}`;
  }

  /** `200` with the operation and its `Location`. */
  answer(call: GraphCall, operation: EmulatedOperation): GraphResult {
    return {
      status: 200,
      body: this.json(call, operation),
      headers: { location: this.location(call, operation) },
    };
  }

  /** Ends an operation and notifies its end (`deleted`), unless a test forced another end or lost it. */
  complete(
    call: GraphCall,
    operation: EmulatedOperation,
    status: 'completed' | 'failed',
    resultInfo: GraphResultInfo,
    extra: Record<string, unknown> = {},
  ): void {
    const forced = this.service.quirks.takeForced(operation.type);
    operation.status = forced?.status ?? status;
    operation.resultInfo = forced?.resultInfo ?? resultInfo;
    operation.extra = {
      ...operation.extra,
      ...extra,
      ...(forced?.completionReason === undefined ? {} : { completionReason: forced.completionReason }),
    };
    // A lost notification: the operation's end is still read with GET …/operations/{id}.
    if (this.service.quirks.applies('dropOperationNotifications')) return;
    void this.service.notifications.notify(
      call,
      'deleted',
      `${call.path}/operations/${operation.id}`,
      this.json(call, operation),
    );
  }

  get(callId: string, operationId: string): GraphResult {
    const call = this.service.liveCall(callId);
    const operation = call.operations.get(operationId);
    if (!operation) throw GraphHttpError.notFound(`Operation ${operationId} was not found.`);
    return { status: 200, body: this.json(call, operation) };
  }
}
