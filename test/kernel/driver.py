"""Drive the real gankit kernel over ZeroMQ with Jupyter's own client libraries.

Used by test/kernel/*.test.ts (run with the project's .venv python). Two modes:

  driver.py session   < scenario.json   start the kernelspec, run steps, print a JSON result
  driver.py notebook NB.ipynb CWD       execute a notebook with nbclient, print a JSON result

Scenario: {"kernel": "gankit", "cwd": DIR, "env": {...}, "steps": [STEP, ...]} where STEP is one of
  {"name": N, "code": SRC, "timeout": S}                          execute, collect iopub until idle
  {"name": N, "code": SRC, "interrupt_after": S, "via": "signal"|"message"|"jupyter"}
  {"name": N, "code": SRC, "interrupt_after": S, "via": V, "expect_restart": true}  the kernel ends itself; restart it
  {"name": N, "kernel_info": true}                               kernel_info_request, its reply
  {"name": N, "burst": [SRC, ...]}                               send all at once, collect each
  {"name": N, "complete": SRC}                                   complete_request at the end of SRC
  {"name": N, "inspect": SRC}                                    inspect_request at the end of SRC
  {"name": N, "restart": true}                                   restart the kernel, wait until ready
Each step result: {"name", "elapsed", "reply": content, "iopub": [{"type", "content"}]}.
"""
import json
import sys
import time


def shell_reply(kc, msg_id, timeout):
    """The content of the shell reply to msg_id (other replies are skipped)."""
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return r["content"]


def collect(kc, msg_id, timeout):
    """IOPub messages of one request until its idle status, then its shell reply."""
    iopub = []
    deadline = time.monotonic() + timeout
    while True:
        m = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        iopub.append({"type": m["msg_type"], "content": m["content"]})
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    while True:
        r = kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
        if r["parent_header"].get("msg_id") == msg_id:
            return r["content"], iopub


def session(scenario):
    import os
    import signal
    from jupyter_client.manager import KernelManager

    out = {"steps": []}
    t0 = time.monotonic()
    km = KernelManager(kernel_name=scenario.get("kernel", "gankit"))
    # The kernel's own stdout goes to stderr: this process's stdout carries only the JSON result.
    km.start_kernel(cwd=scenario["cwd"], env={**os.environ, **scenario.get("env", {})}, stdout=sys.stderr)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    out["ready_s"] = time.monotonic() - t0
    out["kernel_info"] = kc.kernel_info(reply=True, timeout=30)["content"]
    try:
        for step in scenario["steps"]:
            t = time.monotonic()
            res = {"name": step.get("name")}
            timeout = step.get("timeout", 60)
            if "code" in step:
                msg_id = kc.execute(step["code"])
                if "interrupt_after" in step:
                    time.sleep(step["interrupt_after"])
                    res["interrupted_at"] = time.monotonic() - t
                    via = step.get("via", "signal")
                    if via == "signal":
                        os.kill(km.provisioner.process.pid, signal.SIGINT)  # a raw SIGINT to the kernel process
                    elif via == "jupyter":
                        km.interrupt_kernel()  # what JupyterLab does: the kernelspec's interrupt_mode (message)
                    else:
                        msg = kc.session.msg("interrupt_request", {})
                        kc.control_channel.send(msg)
                        res["interrupt_reply"] = kc.control_channel.get_msg(timeout=10)["content"]
                if step.get("expect_restart"):
                    # The watchdog ends a kernel it cannot interrupt; restart it as Jupyter's restarter does.
                    deadline = time.monotonic() + timeout
                    while km.is_alive() and time.monotonic() < deadline:
                        time.sleep(0.2)
                    res["died"] = not km.is_alive()
                    res["died_after"] = time.monotonic() - t - res["interrupted_at"]
                    km.restart_kernel(now=True)
                    kc.wait_for_ready(timeout=120)
                else:
                    res["reply"], res["iopub"] = collect(kc, msg_id, timeout)
            elif "burst" in step:
                ids = [kc.execute(src) for src in step["burst"]]
                res["replies"] = []
                for msg_id in ids:
                    reply, iopub = collect(kc, msg_id, timeout)
                    res["replies"].append({"reply": reply, "iopub": iopub})
            elif "complete" in step:
                src = step["complete"]
                res["reply"] = shell_reply(kc, kc.complete(src, len(src)), timeout)
            elif "inspect" in step:
                src = step["inspect"]
                res["reply"] = shell_reply(kc, kc.inspect(src, len(src)), timeout)
            elif step.get("kernel_info"):
                res["reply"] = kc.kernel_info(reply=True, timeout=timeout)["content"]
            elif step.get("restart"):
                pid = km.provisioner.process.pid if km.provisioner and km.provisioner.process else None
                km.restart_kernel(now=False)
                kc.wait_for_ready(timeout=120)
                new_pid = km.provisioner.process.pid if km.provisioner and km.provisioner.process else None
                res["pids"] = [pid, new_pid]
            res["elapsed"] = time.monotonic() - t
            out["steps"].append(res)
    finally:
        kc.stop_channels()
        t = time.monotonic()
        km.shutdown_kernel(now=False)
        out["shutdown_s"] = time.monotonic() - t
    return out


def notebook(path, cwd):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="gankit", resources={"metadata": {"path": cwd}})
    res = {"ok": True}
    t = time.monotonic()
    try:
        client.execute()
    except CellExecutionError as e:
        res = {"ok": False, "ename": e.ename, "evalue": e.evalue, "message": str(e)[:2000]}
    res["elapsed"] = time.monotonic() - t
    res["cells"] = [
        {"execution_count": c.get("execution_count"), "outputs": c.get("outputs", [])}
        for c in nb.cells if c.cell_type == "code"
    ]
    return res


if __name__ == "__main__":
    if sys.argv[1] == "session":
        result = session(json.load(sys.stdin))
    elif sys.argv[1] == "notebook":
        result = notebook(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown mode {sys.argv[1]}")
    json.dump(result, sys.stdout)
