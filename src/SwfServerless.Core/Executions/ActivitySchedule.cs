namespace SwfServerless.Core.Executions;

/// <summary>
/// The one resolution of an activity task's settings (the ScheduleActivityTask decision): the type must exist and
/// not be deprecated; each setting comes from the decision, else the type's defaults. Task list, schedule-to-close,
/// schedule-to-start and start-to-close must resolve (SWF's DEFAULT_*_UNDEFINED causes); the heartbeat timeout may
/// stay unset (no heartbeat timeout), as SWF documents it optional.
/// </summary>
public static class ActivitySchedule
{
    public sealed record Settings(
        string TaskList, string? TaskPriority, string ScheduleToCloseTimeout, string ScheduleToStartTimeout, string StartToCloseTimeout, string? HeartbeatTimeout);

    public static (Settings? Resolved, string? Cause) Resolve(
        TypeRegistration? type, string? taskList, string? taskPriority, string? scheduleToClose, string? scheduleToStart, string? startToClose, string? heartbeat)
    {
        if (type is null)
        {
            return (null, FailedCause.ActivityTypeDoesNotExist);
        }

        if (type.Status == RegistrationStatus.Deprecated)
        {
            return (null, FailedCause.ActivityTypeDeprecated);
        }

        var d = type.Defaults;
        (taskList, taskPriority) = (taskList ?? d.TaskList, taskPriority ?? d.TaskPriority);
        (scheduleToClose, scheduleToStart) = (scheduleToClose ?? d.TaskScheduleToCloseTimeout, scheduleToStart ?? d.TaskScheduleToStartTimeout);
        (startToClose, heartbeat) = (startToClose ?? d.TaskStartToCloseTimeout, heartbeat ?? d.TaskHeartbeatTimeout);
        var cause =
            taskList is null ? FailedCause.DefaultTaskListUndefined
            : scheduleToClose is null ? FailedCause.DefaultScheduleToCloseTimeoutUndefined
            : scheduleToStart is null ? FailedCause.DefaultScheduleToStartTimeoutUndefined
            : startToClose is null ? FailedCause.DefaultStartToCloseTimeoutUndefined
            : null;
        return cause is null ? (new Settings(taskList!, taskPriority, scheduleToClose!, scheduleToStart!, startToClose!, heartbeat), null) : (null, cause);
    }
}
