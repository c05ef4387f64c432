f: x: [ "${f x}" "${if x then "a" else "b"}" "${{ a = x; }.a}" "${let y = x; in y}" "${x: x}" ]
