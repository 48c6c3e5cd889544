using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

public sealed partial class RunStore
{
    /// <summary>
    /// A caller's own changes of one run, one after another (a parent recording its children's outcomes, chunk after
    /// chunk): each starts from the state item the previous one committed instead of reading the run again. The copy
    /// is taken on the terms of the run cache's (only a committed change trusts it; a lost race, nothing to do or a
    /// fault decides again on a fresh read), so a change made by anyone else in between costs a retry, never a wrong
    /// write. Deployed, where there is no run cache, this spares a consistent read per change of a run no one else
    /// writes meanwhile; once a copy turns out old (a decider polling and answering as the outcomes come, say), the
    /// rest of the changes read the run: each copy would cost a transaction that fails.
    /// </summary>
    public sealed class Successive
    {
        private LoadedRun? next;
        private bool othersWrite;

        /// <summary>The copy the previous change left, once: a retry reads the run.</summary>
        internal LoadedRun? Take() => othersWrite ? null : Interlocked.Exchange(ref next, null);

        /// <summary>A copy was old: someone else writes the run too, so read it from now on.</summary>
        internal void WrittenByOthers() => othersWrite = true;

        /// <summary>What a committed single transaction wrote (a staged commit leaves nothing: the copy is not whole until its rest has run).</summary>
        internal void Committed(WriteTransaction tx) =>
            next = tx.PutItems(ItemRole.RunState).SingleOrDefault() is { } state ? Copy(state) : null;
    }
}
