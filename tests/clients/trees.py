"""Trees of open runs for the close previews' tests (test_operator_preview.py, test_operator_dry_run.py): a decider
starts each run's children as a spec says, and what a close then did to each run is read back as a preview names it."""

import time

import support
from support import respond, start_execution


def start_child(workflow_id, workflow_type, task_list, child_policy):
    return {"decisionType": "StartChildWorkflowExecution", "startChildWorkflowExecutionDecisionAttributes": {
        "workflowId": workflow_id, "workflowType": workflow_type, "taskList": {"name": task_list}, "childPolicy": child_policy}}


def take(swf, domain, task_list, timeout=60):
    """The next decision task of task_list (long polls until one comes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = swf.poll_for_decision_task(domain=domain, taskList={"name": task_list}, identity="tree-decider")
        if task.get("taskToken"):
            return task
    raise AssertionError("no decision task on %s" % task_list)


def open_run(swf, domain, workflow_id):
    """The open run of workflow_id as visibility lists it, or None."""
    runs = swf.list_open_workflow_executions(domain=domain, startTimeFilter={"oldestDate": 0},
                                             executionFilter={"workflowId": workflow_id})["executionInfos"]
    return runs[0]["execution"] if runs else None


def open_children(swf, domain, execution):
    return swf.describe_workflow_execution(domain=domain, execution=execution)["openCounts"]["openChildWorkflowExecutions"]


def tree(swf, domain, workflow_type, root_policy, spec, tag=None):
    """A root run (child policy root_policy) and the open descendants spec names: a list of
    (name, its own child policy, its children's spec). Waits until every run is open and visible with its children.
    Returns (root execution, {name: execution})."""
    tag = tag or support.unique("t")
    root, root_task_list = start_execution(swf, domain, workflow_type, childPolicy=root_policy)
    runs = {}

    def grow(task_list, children):
        respond(swf, take(swf, domain, task_list), [start_child("%s-%s" % (tag, name), workflow_type, "%s-%s-tl" % (tag, name), policy)
                                                     for name, policy, _ in children])
        for name, _, below in children:
            grow("%s-%s-tl" % (tag, name), below)

    grow(root_task_list, spec)

    def settled(execution, children):
        support.wait_until(lambda: open_children(swf, domain, execution) == len(children), timeout=30,
                           message="%d children of %s open" % (len(children), execution["workflowId"]))
        for name, _, below in children:
            workflow_id = "%s-%s" % (tag, name)
            support.wait_until(lambda: open_run(swf, domain, workflow_id), timeout=30, message="%s visible" % workflow_id)
            runs[name] = open_run(swf, domain, workflow_id)
            settled(runs[name], below)

    settled(root, spec)
    return root, runs


def effect(swf, domain, execution):
    """What a close did to a run, in a preview's words: TERMINATED, CANCEL_REQUESTED (open, asked to cancel),
    ABANDONED (open, left alone), or its close status."""
    info = swf.describe_workflow_execution(domain=domain, execution=execution)["executionInfo"]
    return ("TERMINATED" if info.get("closeStatus") == "TERMINATED" else
            "CANCEL_REQUESTED" if info["cancelRequested"] else
            "ABANDONED" if info["executionStatus"] == "OPEN" else info.get("closeStatus"))


def effects(swf, domain, runs):
    return {name: effect(swf, domain, execution) for name, execution in runs.items()}


def counts(effects_by_name):
    """Effects counted as a preview counts them."""
    values = list(effects_by_name.values())
    return {"descendants": len(values), "terminated": values.count("TERMINATED"), "cancelRequested": values.count("CANCEL_REQUESTED"),
            "abandoned": values.count("ABANDONED"), "uncertain": values.count("UNCERTAIN")}


# root -> a (TERMINATE) -> a1; root -> b (REQUEST_CANCEL) -> b1; root -> c (ABANDON) -> c1 (each grandchild TERMINATE).
MIXED = [("a", "TERMINATE", [("a1", "TERMINATE", [])]),
         ("b", "REQUEST_CANCEL", [("b1", "TERMINATE", [])]),
         ("c", "ABANDON", [("c1", "TERMINATE", [])])]
