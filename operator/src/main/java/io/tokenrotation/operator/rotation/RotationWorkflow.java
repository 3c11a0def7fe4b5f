package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.connect.ConnectionResolver;
import io.tokenrotation.operator.consumers.ConsumerTargets;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.rotation.plan.RotationPlanner;
import io.tokenrotation.operator.status.EventPublisher;

/**
 * The rotation state machine (docs/rotation.md) as one handler per step: the planner picks the
 * step, this class hands it to its handler. The handlers share {@link StepSupport}; the finalizer's
 * work is {@link FinalizeStep}.
 */
final class RotationWorkflow {
  private final AdoptStep adopt;
  private final CheckStep check;
  private final RotateStep rotate;
  private final ResumeStep resume;
  private final RetireStep retire;
  private final ConsumerSteps consumers;
  private final WatchDisabledStep watchDisabled;
  private final FinalizeStep finalizer;

  RotationWorkflow(
      EventPublisher events,
      Checkpoints checkpoints,
      TokenNameLocks nameLocks,
      ConnectionResolver upstreams,
      Backoff backoff,
      ConsumerTargets consumerTargets,
      DisabledUseWatch disabledUse) {
    StepSupport support = new StepSupport(events, checkpoints, nameLocks, backoff);
    this.consumers = new ConsumerSteps(support, consumerTargets);
    support.consumers(consumers);
    this.watchDisabled = new WatchDisabledStep(support, disabledUse);
    this.rotate = new RotateStep(support);
    this.adopt = new AdoptStep(support, rotate);
    this.check = new CheckStep(support);
    this.resume = new ResumeStep(support);
    this.retire = new RetireStep(support);
    this.finalizer = new FinalizeStep(support, resume, retire, upstreams);
  }

  /**
   * Does one planned step; {@code request} is the rotate annotation, passed on for a manual
   * rotation.
   */
  void run(RotationPlanner.Step step, boolean manual, String request, RotationSession session) {
    switch (step) {
      case RESUME -> resume.run(session);
      case ADOPT -> adopt.run(session);
      case ROTATE -> rotate.run(session, manual ? request : null);
      case SYNC_TARGETS -> consumers.sync(session);
      case RESTART -> consumers.restart(session);
      case RETIRE -> retire.run(session, false);
      case CHECK -> check.run(session);
      case WATCH_DISABLED -> watchDisabled.run(session);
      default -> throw new IllegalStateException(step.name());
    }
  }

  /** The finalizer: recover, retire everything now, revoke with deletionPolicy Revoke. */
  void runFinalizer(RotationSession session) {
    finalizer.run(session);
  }
}
