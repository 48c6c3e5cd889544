"""Visibility through boto3: List/Count Open/Closed WorkflowExecutions with every filter, their mutual
exclusions, and paging. Each test uses a fresh domain so lists and counts are exact; visibility may lag, so
expectations are awaited with wait_until."""

import datetime
import unittest

import support
from support import (FaultAssertions, cancel_decision, complete_decision, decide, fail_decision, raw,
                     register_domain, register_workflow_type, start_execution, unique, wait_until)

PAST = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
FUTURE = datetime.datetime(2100, 1, 1, tzinfo=datetime.timezone.utc)
ALL_TIME = {"oldestDate": PAST, "latestDate": FUTURE}


class VisibilityTestCase(FaultAssertions, unittest.TestCase):
    def setUp(self):
        self.swf = support.client()
        self.domain = register_domain(self.swf, "vis")
        self.wf = register_workflow_type(self.swf, self.domain)

    def start(self, wf=None, **kwargs):
        return start_execution(self.swf, self.domain, wf or self.wf, **kwargs)

    def list_all(self, open_, **kwargs):
        """Follows nextPageToken; returns (infos, page lengths)."""
        call = self.swf.list_open_workflow_executions if open_ else self.swf.list_closed_workflow_executions
        infos, pages, token = [], [], None
        while True:
            args = dict(domain=self.domain, **kwargs)
            if token:
                args["nextPageToken"] = token
            page = call(**args)
            pages.append(len(page["executionInfos"]))
            infos.extend(page["executionInfos"])
            token = page.get("nextPageToken")
            if not token:
                return infos, pages
            self.assertLess(len(pages), 100, "paging never stopped")

    def ids(self, open_, **kwargs):
        return [i["execution"]["runId"] for i in self.list_all(open_, **kwargs)[0]]

    def count(self, open_, **kwargs):
        call = self.swf.count_open_workflow_executions if open_ else self.swf.count_closed_workflow_executions
        result = call(domain=self.domain, **kwargs)
        self.assertIs(False, result["truncated"])
        return result["count"]

    def await_ids(self, open_, expected, ordered=False, **kwargs):
        """Waits until the listing equals expected (run ids; as a set unless ordered); checks the count too."""
        def matches():
            got = self.ids(open_, **kwargs)
            return (got,) if (got == expected if ordered else sorted(got) == sorted(expected)) else None
        got = wait_until(matches, message="listing %s" % kwargs, timeout=15)[0]
        self.assertEqual(len(got), len(set(got)), "duplicates in %s" % got)
        self.assertEqual(len(expected), self.count(open_, **kwargs), "count for %s" % kwargs)
        return got

    def close(self, task_list, decision):
        decide(self.swf, self.domain, task_list, [decision])


class ListOpenWorkflowExecutionsTests(VisibilityTestCase):
    def test_list_open_workflow_executions_start_time_filter(self):
        a, _ = self.start()
        b, _ = self.start()
        self.await_ids(True, [a["runId"], b["runId"]], startTimeFilter=ALL_TIME)
        self.await_ids(True, [], startTimeFilter={"oldestDate": FUTURE})
        self.await_ids(True, [], startTimeFilter={"oldestDate": PAST, "latestDate": PAST})
        self.await_ids(True, [a["runId"], b["runId"]], startTimeFilter={"oldestDate": PAST})
        infos = self.list_all(True, startTimeFilter=ALL_TIME)[0]
        info = [i for i in infos if i["execution"] == a][0]
        self.assertEqual({"execution": a, "workflowType": self.wf, "executionStatus": "OPEN", "cancelRequested": False},
                         {k: v for k, v in info.items() if k in ("execution", "workflowType", "executionStatus",
                                                                   "cancelRequested")})
        self.assertIsInstance(info["startTimestamp"], datetime.datetime)
        self.assertNotIn("closeStatus", info)

    def test_list_open_workflow_executions_start_time_filter_fractional_bounds(self):
        a, _ = self.start()
        b, _ = self.start()
        c, _ = self.start()
        stamps = {}
        for e in (a, b, c):
            status, _, body, text = raw("DescribeWorkflowExecution", {"domain": self.domain, "execution": e})
            self.assertEqual(200, status, text)
            stamps[e["runId"]] = body["executionInfo"]["startTimestamp"]
        ta, tb, tc = stamps[a["runId"]], stamps[b["runId"]], stamps[c["runId"]]
        self.assertLess(ta, tb)
        self.assertLess(tb, tc)

        def listed(oldest, latest):
            body = {"domain": self.domain, "startTimeFilter": {"oldestDate": oldest, "latestDate": latest}}
            status, _, page, text = raw("ListOpenWorkflowExecutions", body)
            self.assertEqual(200, status, text)
            status, _, count, text = raw("CountOpenWorkflowExecutions", body)
            self.assertEqual(200, status, text)
            runs = sorted(i["execution"]["runId"] for i in page["executionInfos"])
            self.assertEqual(len(runs), count["count"])
            return runs

        # Visibility is eventually consistent: wait until all three starts are visible, then list and count agree.
        wait_until(lambda: raw("CountOpenWorkflowExecutions", {"domain": self.domain, "startTimeFilter": {"oldestDate": ta, "latestDate": tc}})[2]["count"] == 3,
                   message="three open runs")
        self.assertEqual(3, len(listed(ta, tc)))
        self.assertEqual(sorted([b["runId"], c["runId"]]), listed((ta + tb) / 2, tc + 1))
        self.assertEqual(sorted([a["runId"], b["runId"]]), listed(ta - 1, (tb + tc) / 2))
        self.assertEqual([b["runId"]], listed(tb, tb))

    def test_list_open_workflow_executions_execution_filter(self):
        a, _ = self.start()
        self.start()
        self.await_ids(True, [a["runId"]], startTimeFilter=ALL_TIME, executionFilter={"workflowId": a["workflowId"]})
        self.await_ids(True, [], startTimeFilter=ALL_TIME, executionFilter={"workflowId": unique("none")})

    def test_list_open_workflow_executions_type_filter(self):
        other_name = register_workflow_type(self.swf, self.domain)
        v2 = register_workflow_type(self.swf, self.domain, name=self.wf["name"], version="2")
        a, _ = self.start()
        b, _ = self.start(wf=v2)
        c, _ = self.start(wf=other_name)
        self.await_ids(True, [a["runId"], b["runId"]], startTimeFilter=ALL_TIME, typeFilter={"name": self.wf["name"]})
        self.await_ids(True, [b["runId"]], startTimeFilter=ALL_TIME, typeFilter=v2)
        self.await_ids(True, [a["runId"]], startTimeFilter=ALL_TIME, typeFilter=self.wf)
        self.await_ids(True, [c["runId"]], startTimeFilter=ALL_TIME, typeFilter={"name": other_name["name"]})
        self.await_ids(True, [], startTimeFilter=ALL_TIME, typeFilter={"name": self.wf["name"], "version": "9"})

    def test_list_open_workflow_executions_tag_filter(self):
        a, _ = self.start(tagList=["red", "blue"])
        b, _ = self.start(tagList=["blue"])
        self.start()
        self.await_ids(True, [a["runId"], b["runId"]], startTimeFilter=ALL_TIME, tagFilter={"tag": "blue"})
        self.await_ids(True, [a["runId"]], startTimeFilter=ALL_TIME, tagFilter={"tag": "red"})
        self.await_ids(True, [], startTimeFilter=ALL_TIME, tagFilter={"tag": "green"})
        info = self.list_all(True, startTimeFilter=ALL_TIME, tagFilter={"tag": "red"})[0][0]
        self.assertEqual(["red", "blue"], info["tagList"])

    def test_list_open_workflow_executions_closed_runs_not_listed(self):
        a, _ = self.start()
        b, b_list = self.start()
        self.close(b_list, complete_decision())
        self.await_ids(True, [a["runId"]], startTimeFilter=ALL_TIME)
        self.swf.request_cancel_workflow_execution(domain=self.domain, workflowId=a["workflowId"])
        wait_until(lambda: self.list_all(True, startTimeFilter=ALL_TIME)[0][0]["cancelRequested"] is True,
                   message="cancelRequested in the open listing")

    def test_list_open_workflow_executions_paging_newest_first(self):
        runs = [self.start()[0]["runId"] for _ in range(7)]
        newest_first = list(reversed(runs))
        self.await_ids(True, newest_first, ordered=True, startTimeFilter=ALL_TIME)
        infos, pages = self.list_all(True, startTimeFilter=ALL_TIME, maximumPageSize=3)
        self.assertEqual([3, 3, 1], pages)
        self.assertEqual(newest_first, [i["execution"]["runId"] for i in infos])
        stamps = [i["startTimestamp"] for i in infos]
        self.assertEqual(sorted(stamps, reverse=True), stamps)
        infos, pages = self.list_all(True, startTimeFilter=ALL_TIME, maximumPageSize=2, reverseOrder=True)
        self.assertEqual([2, 2, 2, 1], pages)
        self.assertEqual(runs, [i["execution"]["runId"] for i in infos])
        self.assertEqual(7, self.count(True, startTimeFilter=ALL_TIME))

    def test_list_open_workflow_executions_two_filters_validation_exception(self):
        a, _ = self.start(tagList=["t"])
        combos = [dict(executionFilter={"workflowId": a["workflowId"]}, typeFilter={"name": self.wf["name"]}),
                  dict(executionFilter={"workflowId": a["workflowId"]}, tagFilter={"tag": "t"}),
                  dict(typeFilter={"name": self.wf["name"]}, tagFilter={"tag": "t"})]
        for combo in combos:
            for call in [self.swf.list_open_workflow_executions, self.swf.count_open_workflow_executions]:
                with self.subTest(call=call.__name__, filters=sorted(combo)):
                    self.assertFault("ValidationException", call, domain=self.domain, startTimeFilter=ALL_TIME,
                                     **combo)

    def test_list_open_workflow_executions_garbage_page_token_validation_exception(self):
        self.assertFault("ValidationException", self.swf.list_open_workflow_executions, domain=self.domain,
                         startTimeFilter=ALL_TIME, nextPageToken="garbage")

    def test_list_open_workflow_executions_unknown_domain_unknown_resource_fault(self):
        for call in [self.swf.list_open_workflow_executions, self.swf.count_open_workflow_executions]:
            with self.subTest(call=call.__name__):
                self.assertFault("UnknownResourceFault", call, domain=unique("nodomain"), startTimeFilter=ALL_TIME)

    def test_list_open_workflow_executions_cli(self):
        a, _ = self.start()
        self.await_ids(True, [a["runId"]], startTimeFilter=ALL_TIME)
        rc, out, err = support.cli("list-open-workflow-executions", "--domain", self.domain, "--start-time-filter",
                                   "oldestDate=2000-01-01T00:00:00Z")
        self.assertEqual(0, rc, err)
        self.assertEqual([a], [i["execution"] for i in out["executionInfos"]])
        rc, out, err = support.cli("count-open-workflow-executions", "--domain", self.domain, "--start-time-filter",
                                   "oldestDate=2000-01-01T00:00:00Z")
        self.assertEqual(0, rc, err)
        self.assertEqual({"count": 1, "truncated": False}, out)


class ListClosedWorkflowExecutionsTests(VisibilityTestCase):
    def closed_runs(self):
        """Four closed runs (completed, failed, canceled, terminated) and one open; returns {status: run id}."""
        runs = {}
        for status, decision in [("COMPLETED", complete_decision("r")), ("FAILED", fail_decision("x")),
                                 ("CANCELED", cancel_decision())]:
            execution, task_list = self.start(tagList=[status.lower()])
            self.close(task_list, decision)
            runs[status] = execution["runId"]
        execution, _ = self.start(tagList=["terminated"])
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"])
        runs["TERMINATED"] = execution["runId"]
        runs["OPEN"] = self.start()[0]["runId"]
        return runs

    def test_list_closed_workflow_executions_close_status_filter(self):
        runs = self.closed_runs()
        closed = [runs[s] for s in ["COMPLETED", "FAILED", "CANCELED", "TERMINATED"]]
        self.await_ids(False, closed, startTimeFilter=ALL_TIME)
        self.await_ids(False, closed, closeTimeFilter=ALL_TIME)
        for status in ["COMPLETED", "FAILED", "CANCELED", "TERMINATED"]:
            with self.subTest(status=status):
                self.await_ids(False, [runs[status]], startTimeFilter=ALL_TIME, closeStatusFilter={"status": status})
        for status in ["TIMED_OUT", "CONTINUED_AS_NEW"]:
            self.await_ids(False, [], closeTimeFilter=ALL_TIME, closeStatusFilter={"status": status})
        infos = self.list_all(False, closeTimeFilter=ALL_TIME, closeStatusFilter={"status": "FAILED"})[0]
        info = infos[0]
        self.assertEqual(("CLOSED", "FAILED", ["failed"]), (info["executionStatus"], info["closeStatus"],
                                                             info["tagList"]))
        self.assertIsInstance(info["closeTimestamp"], datetime.datetime)
        self.assertGreaterEqual(info["closeTimestamp"], info["startTimestamp"])

    def test_list_closed_workflow_executions_other_filters(self):
        runs = self.closed_runs()
        wf2 = register_workflow_type(self.swf, self.domain)
        execution, task_list = self.start(wf=wf2, tagList=["special"])
        self.close(task_list, complete_decision())
        self.await_ids(False, [execution["runId"]], closeTimeFilter=ALL_TIME, typeFilter={"name": wf2["name"]})
        self.await_ids(False, [execution["runId"]], startTimeFilter=ALL_TIME, typeFilter=wf2)
        self.await_ids(False, [execution["runId"]], closeTimeFilter=ALL_TIME, tagFilter={"tag": "special"})
        self.await_ids(False, [runs["CANCELED"]], closeTimeFilter=ALL_TIME, tagFilter={"tag": "canceled"})
        self.await_ids(False, [execution["runId"]], startTimeFilter=ALL_TIME,
                       executionFilter={"workflowId": execution["workflowId"]})
        self.await_ids(False, [], startTimeFilter=ALL_TIME, tagFilter={"tag": "open"})

    def test_list_closed_workflow_executions_close_time_filter_bounds(self):
        first, first_list = self.start()
        second, second_list = self.start()
        self.close(first_list, complete_decision())
        self.close(second_list, complete_decision())
        stamps = {}
        for e in (first, second):
            body = raw("DescribeWorkflowExecution", {"domain": self.domain, "execution": e})[2]
            stamps[e["runId"]] = body["executionInfo"]["closeTimestamp"]
        t1, t2 = stamps[first["runId"]], stamps[second["runId"]]
        self.assertLess(t1, t2)

        def listed(oldest, latest):
            body = {"domain": self.domain, "closeTimeFilter": {"oldestDate": oldest, "latestDate": latest}}
            status, _, page, text = raw("ListClosedWorkflowExecutions", body)
            self.assertEqual(200, status, text)
            count = raw("CountClosedWorkflowExecutions", body)[2]
            runs = [i["execution"]["runId"] for i in page["executionInfos"]]
            self.assertEqual(len(runs), count["count"])
            return runs

        def counted(oldest, latest):
            body = {"domain": self.domain, "closeTimeFilter": {"oldestDate": oldest, "latestDate": latest}}
            return raw("CountClosedWorkflowExecutions", body)[2]["count"]

        # Visibility is eventually consistent: wait until both closes are visible, then list and count agree.
        wait_until(lambda: counted(t1 - 1, t2 + 1) == 2, message="two closed runs")
        self.assertEqual([second["runId"], first["runId"]], listed(t1 - 1, t2 + 1))
        self.assertEqual([second["runId"]], listed((t1 + t2) / 2, t2 + 1))
        self.assertEqual([first["runId"]], listed(t1 - 1, (t1 + t2) / 2))
        self.await_ids(False, [], closeTimeFilter={"oldestDate": FUTURE})

    def test_list_closed_workflow_executions_paging(self):
        runs = []
        for _ in range(5):
            execution, task_list = self.start()
            self.close(task_list, complete_decision())
            runs.append(execution["runId"])
        newest_first = list(reversed(runs))
        self.await_ids(False, newest_first, ordered=True, startTimeFilter=ALL_TIME)
        self.await_ids(False, newest_first, ordered=True, closeTimeFilter=ALL_TIME)
        infos, pages = self.list_all(False, closeTimeFilter=ALL_TIME, maximumPageSize=2)
        self.assertEqual([2, 2, 1], pages)
        self.assertEqual(newest_first, [i["execution"]["runId"] for i in infos])
        infos, pages = self.list_all(False, startTimeFilter=ALL_TIME, maximumPageSize=4, reverseOrder=True)
        self.assertEqual([4, 1], pages)
        self.assertEqual(runs, [i["execution"]["runId"] for i in infos])

    def test_list_closed_workflow_executions_time_filters_validation_exception(self):
        for call in [self.swf.list_closed_workflow_executions, self.swf.count_closed_workflow_executions]:
            with self.subTest(call=call.__name__, filters="both"):
                self.assertFault("ValidationException", call, domain=self.domain, startTimeFilter=ALL_TIME,
                                 closeTimeFilter=ALL_TIME)
            with self.subTest(call=call.__name__, filters="neither"):
                self.assertFault("ValidationException", call, domain=self.domain)

    def test_list_closed_workflow_executions_two_filters_validation_exception(self):
        combos = [dict(closeStatusFilter={"status": "COMPLETED"}, tagFilter={"tag": "t"}),
                  dict(closeStatusFilter={"status": "COMPLETED"}, typeFilter={"name": self.wf["name"]}),
                  dict(closeStatusFilter={"status": "COMPLETED"}, executionFilter={"workflowId": "w"}),
                  dict(executionFilter={"workflowId": "w"}, typeFilter={"name": self.wf["name"]}),
                  dict(tagFilter={"tag": "t"}, typeFilter={"name": self.wf["name"]})]
        for combo in combos:
            for call in [self.swf.list_closed_workflow_executions, self.swf.count_closed_workflow_executions]:
                with self.subTest(call=call.__name__, filters=sorted(combo)):
                    self.assertFault("ValidationException", call, domain=self.domain, closeTimeFilter=ALL_TIME,
                                     **combo)

    def test_list_closed_workflow_executions_cli(self):
        execution, task_list = self.start()
        self.close(task_list, complete_decision())
        self.await_ids(False, [execution["runId"]], closeTimeFilter=ALL_TIME)
        rc, out, err = support.cli("list-closed-workflow-executions", "--domain", self.domain,
                                   "--close-time-filter", "oldestDate=2000-01-01T00:00:00Z",
                                   "--close-status-filter", "status=COMPLETED")
        self.assertEqual(0, rc, err)
        self.assertEqual([(execution, "COMPLETED")],
                         [(i["execution"], i["closeStatus"]) for i in out["executionInfos"]])


if __name__ == "__main__":
    unittest.main()
