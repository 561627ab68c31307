import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One line per request, when it completes, at a level that follows the outcome: successful requests (health
 * polls included) at debug, refusals at info, failures at error. Production logs at info, so they show what went
 * wrong without a line for every poll; the error handler adds the full failure.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {
    // The completion line says everything the arrival line would.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else if (reply.statusCode >= 400) reply.log.info(line, 'request completed');
    else reply.log.debug(line, 'request completed');
  }
}
