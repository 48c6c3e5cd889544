#!/usr/bin/env node
/*
 * An order workflow written with the aws-swf framework (ericabouaf/aws-swf 4.1.0, on its own aws-sdk 2.0.x),
 * exactly as one would write it for Amazon SWF; only the endpoint differs.
 *
 *   node order.js --endpoint http://127.0.0.1:PORT [--domain NAME] [--task-list NAME] [--order-id ID]
 *                 [--page-size N] [--timeout SECONDS] [--heartbeats N] [--heartbeat-interval-ms MS]
 *                 [--heartbeat-timeout SECONDS]
 *
 * The endpoint may also come from $SWF_ENDPOINT. Credentials come from the environment as the SDK reads them
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the region from AWS_REGION or
 * AWS_DEFAULT_REGION (us-east-1 if neither is set).
 *
 * What runs:
 *  - setup through the SDK client the framework exports (swf.AWS): RegisterDomain and three RegisterActivityType;
 *    the framework's Workflow.register() for the workflow type and Workflow.start() for the execution;
 *  - one ActivityPoller (the framework's) working the three activities: reserve-stock, charge-card and
 *    ship-order. charge-card runs 3 s under a 2 s heartbeat timeout, sending 5 heartbeats through
 *    ActivityTask.recordHeartbeat: it completes only if the service honours them;
 *  - one Decider (the framework's) whose decisions use the EventList queries and the DecisionResponse helpers:
 *    reserve-stock and charge-card in parallel, then a RecordMarker and ship-order with their results, then
 *    CompleteWorkflowExecution with a result built from all three and the marker. The decider polls with a small
 *    maximumPageSize (default 4), so the framework has to follow nextPageToken to assemble each decision task's
 *    history.
 *
 * Prints one JSON line on stdout (workflowId, runId, executionStatus, closeStatus, result, eventTypes, ...) and
 * exits 0 once the run is closed COMPLETED with a result; non-zero on any error, failure or timeout (the test
 * checks the result itself).
 * Diagnostics go to stderr.
 */
'use strict';

var swf = require('aws-swf');
var AWS = swf.AWS; // the aws-sdk the framework itself uses

function parseArgs(argv) {
    var opts = {};
    for (var i = 0; i < argv.length; i++) {
        var m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
        if (!m) {
            throw new Error('unexpected argument: ' + argv[i]);
        }
        opts[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
    }
    return opts;
}

function suffix() {
    return Date.now().toString(36) + '-' + process.pid.toString(36);
}

var opts = parseArgs(process.argv.slice(2));
var endpoint = opts.endpoint || process.env.SWF_ENDPOINT;
if (!endpoint) {
    console.error('usage: node order.js --endpoint URL (or SWF_ENDPOINT=URL)');
    process.exit(64);
}
var region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
var domain = opts.domain || 'fw-aws-swf-' + suffix();
var taskList = opts['task-list'] || 'orders-' + suffix();
var orderId = opts['order-id'] || 'order-42';
var pageSize = parseInt(opts['page-size'] || '4', 10);
var timeoutSeconds = parseInt(opts.timeout || '60', 10);

var WORKFLOW = {name: 'order', version: '1.0'};
var ACTIVITIES = ['reserve-stock', 'charge-card', 'ship-order']; // the framework schedules them as version "1.0"
// charge-card works HEARTBEATS * HEARTBEAT_INTERVAL_MS = 3 s under a 2 s heartbeat timeout: it only completes
// because each heartbeat pushes that timeout back.
var HEARTBEATS = parseInt(opts.heartbeats || '5', 10);
var HEARTBEAT_INTERVAL_MS = parseInt(opts['heartbeat-interval-ms'] || '600', 10);
var HEARTBEAT_TIMEOUT = opts['heartbeat-timeout'] || '2';
var ORDER = {orderId: orderId, items: ['book', 'lamp'], amount: 42.5};

// The global SDK configuration: the framework's createClient() (used by every poller, task and response below)
// builds its clients from it. maxRetries 0: a fault of the service must show, not be retried away.
AWS.config.update({
    endpoint: endpoint,
    region: region,
    maxRetries: 0,
    httpOptions: {timeout: 70000} // longer than one long poll (60 s on Amazon SWF)
});

var client = swf.createClient();
var log = function () {
    var args = Array.prototype.slice.call(arguments);
    console.error('[order.js ' + new Date().toISOString() + '] ' + args.join(' '));
};

var pollers = [];
var finished = false;

function finish(code, report) {
    if (finished) {
        return;
    }
    finished = true;
    pollers.forEach(function (p) { p.stop(); });
    if (report) {
        process.stdout.write(JSON.stringify(report) + '\n');
    }
    // The pollers' outstanding long polls would hold the process until they return; they hold no task.
    process.exitCode = code;
    setImmediate(function () { process.exit(code); });
}

function fail(what, err) {
    log('FAILED:', what, err && (err.stack || JSON.stringify(err)) || '');
    finish(1, {ok: false, error: what, code: err && err.code, message: err && (err.message || String(err))});
}

var timer = setTimeout(function () {
    fail('timed out after ' + timeoutSeconds + ' s');
}, timeoutSeconds * 1000);

function ignoring(code, cb) {
    return function (err, data) {
        if (err && err.code === code) {
            return cb(null, data);
        }
        cb(err, data);
    };
}

// ---------------------------------------------------------------------------------------------------------------
// Setup: domain, activity types (SDK client), workflow type (framework)

var workflow = new swf.Workflow({
    domain: domain,
    workflowType: WORKFLOW,
    taskList: {name: taskList},
    executionStartToCloseTimeout: '300',
    taskStartToCloseTimeout: '30',
    childPolicy: 'TERMINATE',
    tagList: ['aws-swf', 'order']
});

function register(cb) {
    client.registerDomain({
        name: domain,
        description: 'aws-swf framework check',
        workflowExecutionRetentionPeriodInDays: '1'
    }, ignoring('DomainAlreadyExistsFault', function (err) {
        if (err) {
            return cb(err, 'RegisterDomain');
        }
        var pending = ACTIVITIES.length + 1, failed = false;
        var done = function (what) {
            return function (err) {
                if (failed) {
                    return;
                }
                if (err) {
                    failed = true;
                    return cb(err, what);
                }
                if (--pending === 0) {
                    cb(null);
                }
            };
        };
        // Workflow.register sends only domain, name and version: the start below supplies every default.
        workflow.register(ignoring('TypeAlreadyExistsFault', done('RegisterWorkflowType')));
        ACTIVITIES.forEach(function (name) {
            client.registerActivityType({
                domain: domain,
                name: name,
                version: '1.0',
                description: 'order step ' + name
            }, ignoring('TypeAlreadyExistsFault', done('RegisterActivityType ' + name)));
        });
    }));
}

// ---------------------------------------------------------------------------------------------------------------
// The activity worker

var heartbeatsSent = 0;
var worked = [];

function parse(s) {
    try {
        return JSON.parse(s);
    } catch (e) {
        return s;
    }
}

var WORK = {
    'reserve-stock': function (task, input, cb) {
        cb(null, {reservationId: 'R-' + input.orderId, items: input.items.length});
    },
    'charge-card': function (task, input, cb) {
        var beat = function (n) {
            if (n > HEARTBEATS) {
                return cb(null, {paymentId: 'P-' + input.orderId, amount: input.amount, heartbeats: HEARTBEATS});
            }
            task.recordHeartbeat({progress: n + '/' + HEARTBEATS}, function (err) {
                if (err) {
                    return cb(err);
                }
                heartbeatsSent++;
                setTimeout(function () { beat(n + 1); }, HEARTBEAT_INTERVAL_MS);
            });
        };
        beat(1);
    },
    'ship-order': function (task, input, cb) {
        cb(null, {
            trackingId: 'T-' + input.orderId,
            reservationId: input.reservation.reservationId,
            paymentId: input.payment.paymentId
        });
    }
};

function startWorker() {
    var worker = new swf.ActivityPoller({
        domain: domain,
        taskList: {name: taskList},
        identity: 'aws-swf-worker-' + process.pid
    });
    worker.on('error', function (err) { fail('ActivityPoller error', err); });
    worker.on('activityTask', function (task) {
        var name = task.config.activityType.name;
        log('activity task', task.config.activityId, name, 'startedEventId', task.config.startedEventId);
        var work = WORK[name];
        if (!work) {
            return task.respondFailed('unknown activity', name);
        }
        work(task, parse(task.config.input), function (err, result) {
            if (err) {
                return fail('activity ' + name, err);
            }
            worked.push(task.config.activityId);
            task.respondCompleted(result, function (err) {
                if (err) {
                    fail('RespondActivityTaskCompleted for ' + name, err);
                }
            });
        });
    });
    pollers.push(worker);
    worker.start();
}

// ---------------------------------------------------------------------------------------------------------------
// The decider

var decisionTasks = 0;
var decisionHistories = []; // per decision task: its startedEventId and the event ids the framework assembled
var decisionPolls = 0;
var historyPageRequests = 0; // PollForDecisionTask calls the framework made with a nextPageToken

// Observation only: count the framework's follow-up polls for further pages of a decision task's history.
AWS.events.on('success', function (resp) {
    if (resp.request.operation === 'pollForDecisionTask' && resp.request.params.nextPageToken) {
        historyPageRequests++;
    }
});

function decide(dt) {
    var events = dt.eventList;
    var response = dt.response;
    var order = events.workflow_input();

    var failed = ACTIVITIES.filter(function (a) { return events.failed(a) || events.timed_out(a); });
    if (failed.length) {
        return response.fail('activity failed', {activities: failed}, function (err) {
            if (err) {
                fail('FailWorkflowExecution decision', err);
            }
        });
    }

    if (events.just_started()) {
        // in parallel; the activity task list defaults to the workflow's task list (the framework's choice)
        response.schedule({name: 'reserve-stock', activity: 'reserve-stock', input: order});
        response.schedule({name: 'charge-card', activity: 'charge-card', input: order, heartbeatTimeout: HEARTBEAT_TIMEOUT});
    } else if (events.completed('reserve-stock', 'charge-card') && !events.scheduled('ship-order')) {
        response.add_marker('paid', events.results('charge-card').paymentId);
        response.schedule({
            name: 'ship-order',
            activity: 'ship-order',
            input: {
                orderId: order.orderId,
                reservation: events.results('reserve-stock'),
                payment: events.results('charge-card')
            }
        });
    } else if (events.completed('ship-order')) {
        response.stop({
            result: {
                orderId: order.orderId,
                reservation: events.results('reserve-stock'),
                payment: events.results('charge-card'),
                shipment: events.results('ship-order'),
                marker: events.get_last_marker_details('paid')
            }
        });
    } else {
        response.wait();
    }

    var decided = (response.decisions || []).map(function (d) { return d.decisionType; });
    response.send(function (err) {
        if (err) {
            return fail('RespondDecisionTaskCompleted', err);
        }
        log('decided', JSON.stringify(decided));
        if (decided.indexOf('CompleteWorkflowExecution') >= 0) {
            report();
        }
    });
}

function startDecider() {
    var decider = new swf.Decider({
        domain: domain,
        taskList: {name: taskList},
        identity: 'aws-swf-decider-' + process.pid,
        maximumPageSize: pageSize
    });
    decider.on('error', function (err) { fail('Decider error', err); });
    decider.on('poll', function () { decisionPolls++; });
    decider.on('decisionTask', function (dt) {
        decisionTasks++;
        var ids = dt.eventList._events.map(function (e) { return e.eventId; });
        decisionHistories.push({startedEventId: dt.config.startedEventId, eventIds: ids});
        log('decision task with', ids.length, 'events, ids', ids[0] + '..' + ids[ids.length - 1]);
        try {
            decide(dt);
        } catch (e) {
            fail('decider threw', e);
        }
    });
    pollers.push(decider);
    decider.start();
}

// ---------------------------------------------------------------------------------------------------------------
// Start, wait, report

var execution = null;

function report() {
    var ex = {workflowId: execution.workflowId, runId: execution.runId};
    client.describeWorkflowExecution({domain: domain, execution: ex}, function (err, detail) {
        if (err) {
            return fail('DescribeWorkflowExecution', err);
        }
        execution.getHistory({execution: ex}, function (err, history) {
            if (err) {
                return fail('GetWorkflowExecutionHistory', err);
            }
            var events = history.events;
            var last = events[events.length - 1];
            var completed = last.eventType === 'WorkflowExecutionCompleted' ? last.workflowExecutionCompletedEventAttributes : null;
            var result = completed ? parse(completed.result) : null;
            var info = detail.executionInfo;
            var out = {
                ok: info.executionStatus === 'CLOSED' && info.closeStatus === 'COMPLETED' && !!result,
                domain: domain,
                taskList: taskList,
                workflowId: ex.workflowId,
                runId: ex.runId,
                executionStatus: info.executionStatus,
                closeStatus: info.closeStatus,
                result: result,
                eventTypes: events.map(function (e) { return e.eventType; }),
                eventIds: events.map(function (e) { return e.eventId; }),
                activities: worked,
                heartbeats: heartbeatsSent,
                decisionTasks: decisionTasks,
                decisionHistories: decisionHistories,
                versions: {'aws-swf': require('aws-swf/package.json').version, 'aws-sdk': AWS.VERSION},
                decisionPolls: decisionPolls,
                historyPageRequests: historyPageRequests,
                pageSize: pageSize
            };
            clearTimeout(timer);
            finish(out.ok ? 0 : 1, out);
        });
    });
}

register(function (err, what) {
    if (err) {
        return fail(what, err);
    }
    startWorker();
    startDecider();
    execution = workflow.start({
        workflowId: 'order-' + orderId + '-' + suffix(),
        input: JSON.stringify(ORDER)
    }, function (err, runId) {
        if (err) {
            return fail('StartWorkflowExecution', err);
        }
        execution.runId = runId;
        log('started', execution.workflowId, runId, 'on', domain, taskList);
    });
});
