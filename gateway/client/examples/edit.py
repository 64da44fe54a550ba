"""Edit a photo with plain `requests` and save the result, its RGBA layer and its mask.

    ZONE_API_KEY=ze_live_... python3 gateway/client/examples/edit.py photo.png "make the cat black" [out-dir]

ZONE_API_URL defaults to the local stack (`npm start`). Refusals are RFC 9457 problem details
with a stable `code`; 429 and 503 carry Retry-After, and a retry with the same Idempotency-Key is
never billed twice.
"""

import os
import sys
import time
import uuid

import requests

BASE = os.environ.get("ZONE_API_URL", "http://127.0.0.1:8787")


def create_edit(session, photo, instruction, attempts=3):
    key = str(uuid.uuid4())  # one key for every try of this edit
    for attempt in range(attempts):
        with open(photo, "rb") as image:
            response = session.post(
                f"{BASE}/v1/edits",
                files={"image": (os.path.basename(photo), image)},
                data={"instruction": instruction},
                headers={"Idempotency-Key": key, "Accept": "application/json"},
            )
        if response.status_code in (429, 503) and attempt < attempts - 1:
            time.sleep(int(response.headers.get("Retry-After", "1")))
            continue
        if not response.ok:
            problem = response.json()
            sys.exit(f"refused: {problem['status']} {problem['code']}: {problem['detail']}")
        return response.json(), response.headers["X-Cache"]


def main():
    if len(sys.argv) < 3 or "ZONE_API_KEY" not in os.environ:
        sys.exit('usage: ZONE_API_KEY=ze_... python3 gateway/client/examples/edit.py PHOTO "INSTRUCTION" [OUT]')
    photo, instruction = sys.argv[1], sys.argv[2]
    out = sys.argv[3] if len(sys.argv) > 3 else "out/client-example-py"
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {os.environ['ZONE_API_KEY']}"
    edit, cache = create_edit(session, photo, instruction)
    os.makedirs(out, exist_ok=True)
    for name in ("result", "layer", "mask"):
        artifact = session.get(edit["links"][name])
        artifact.raise_for_status()
        path = os.path.join(out, f"{name}.{artifact.headers['Content-Type'].split('/')[1]}")
        with open(path, "wb") as file:
            file.write(artifact.content)
        print(path)
    print(f"{edit['id']}: {cache}, {edit['changedPixels']} pixels changed in {edit['changedBox']}")


if __name__ == "__main__":
    main()
