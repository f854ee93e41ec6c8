-- WAITING: a deadline passed while the participant was still working through its queue, so the saga
-- moved the deadline on instead of failing the step (SagaStateMachine, ParticipantBacklog).
alter table saga_step_history drop constraint saga_step_history_outcome_check;
alter table saga_step_history add constraint saga_step_history_outcome_check
    check (outcome in ('SENT', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'WAITING', 'LATE_REPLY_IGNORED', 'RETRIED', 'STUCK'));
