"""Edit a photo with plain `requests` and save the result, its RGBA layer and its mask.

    ZONE_API_KEY=ze_live_... python3 gateway/client/examples/edit.py photo.png "make the cat black" [out-dir] [--async]

ZONE_API_URL defaults to the local stack (`npm start`). Refusals are RFC 9457 problem details
with a stable `code`; 429 and 503 carry Retry-After, and a retry with the same Idempotency-Key is
never billed twice. With --async the edit is a job (Prefer: respond-async): its Location is
polled, as its Retry-After says, until it has succeeded, failed or been canceled.
"""

import os
import sys
import time
import uuid

import requests

BASE = os.environ.get("ZONE_API_URL", "http://127.0.0.1:8787")


def create_edit(session, photo, instruction, asynchronous=False, attempts=3):
    key = str(uuid.uuid4())  # one key for every try of this edit
    headers = {"Idempotency-Key": key, "Accept": "application/json"}
    if asynchronous:
        headers["Prefer"] = "respond-async"
    for attempt in range(attempts):
        with open(photo, "rb") as image:
            response = session.post(
                f"{BASE}/v1/edits",
                files={"image": (os.path.basename(photo), image)},
                data={"instruction": instruction},
                headers=headers,
            )
        if response.status_code in (429, 503) and attempt < attempts - 1:
            time.sleep(int(response.headers.get("Retry-After", "1")))
            continue
        if not response.ok:
            problem = response.json()
            sys.exit(f"refused: {problem['status']} {problem['code']}: {problem['detail']}")
        if response.status_code == 202:  # the job: poll its Location
            return wait_for(session, response)
        return response.json()


def wait_for(session, response):
    job = response.json()
    while job["status"] not in ("succeeded", "failed", "canceled"):
        time.sleep(int(response.headers.get("Retry-After", "1")))
        response = session.get(job["links"]["self"])
        response.raise_for_status()
        job = response.json()
        progress = job["progress"] or {}
        print(job["status"], progress.get("stage"), progress.get("step"), progress.get("steps"), file=sys.stderr)
    if job["status"] != "succeeded":
        sys.exit(f"{job['id']} {job['status']}: {job['error'] or job['canceledBy']}")
    return job


def main():
    args = [arg for arg in sys.argv[1:] if arg != "--async"]
    if len(args) < 2 or "ZONE_API_KEY" not in os.environ:
        sys.exit('usage: ZONE_API_KEY=ze_... python3 gateway/client/examples/edit.py PHOTO "INSTRUCTION" [OUT] [--async]')
    photo, instruction = args[0], args[1]
    out = args[2] if len(args) > 2 else "out/client-example-py"
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {os.environ['ZONE_API_KEY']}"
    edit = create_edit(session, photo, instruction, asynchronous="--async" in sys.argv)
    os.makedirs(out, exist_ok=True)
    for name in ("result", "layer", "mask"):
        artifact = session.get(edit["links"][name])
        artifact.raise_for_status()
        path = os.path.join(out, f"{name}.{artifact.headers['Content-Type'].split('/')[1]}")
        with open(path, "wb") as file:
            file.write(artifact.content)
        print(path)
    print(f"{edit['id']}: {edit['cache']}, {edit['changedPixels']} pixels changed in {edit['changedBox']}")


if __name__ == "__main__":
    main()
