"""Unregistered bugs of Part II: 04 RNN forward, 05 RNN backward, 06 LSTM and GRU."""

import numpy as np

from unregistered_bugs.catalogue import bug

# ---------------------------------------------------------------- 04 RNN forward

bug(
    "softmax_columns",
    r"(?i)each column of the expected probs sums to 1",
    "the maximum over axis 0 but the sum over axis 1",
    {"e.sum(axis=0, keepdims=True)": "e.sum(axis=1, keepdims=True)"},
)
bug(
    "softmax_columns",
    r"column 0 sums to nan",
    "the maximum of the whole array subtracted (underflow in far columns)",
    {"z.max(axis=0, keepdims=True)": "z.max()"},
)
CELL = 'parameters["Waa"] @ a_prev + parameters["Wax"] @ xt + parameters["ba"]'
bug(
    "rnn_cell_forward",
    r"With (Wax|xt) = 0 \(or (Wax|xt) = 0\)",
    "a sign error in the input term: - Wax xt",
    {'+ parameters["Wax"] @ xt': '- parameters["Wax"] @ xt'},
)
bug(
    "rnn_cell_forward",
    r"a_next.* is relu of the pre-activation whose tanh",
    "relu instead of tanh",
    {f"np.tanh({CELL})": f"np.maximum(0, {CELL})"},
)
bug(
    "rnn_cell_forward",
    r"With ba = 0",
    "the bias added after the tanh",
    {' @ xt + parameters["ba"])': ' @ xt) + parameters["ba"]'},
)
bug(
    "rnn_cell_forward",
    r"cache\[1\] \(a_prev\) holds the values of the input xt",
    "the cache in the order (a_next, xt, a_prev, parameters)",
    {"(a_next, a_prev, xt, parameters)": "(a_next, xt, a_prev, parameters)"},
)
bug(
    "rnn_cell_forward",
    r"With (Waa|a_prev) = 0 \(or (Waa|a_prev) = 0\)",
    "the recurrent term doubled: 2 Waa a_prev",
    {'parameters["Waa"] @ a_prev': '2 * parameters["Waa"] @ a_prev'},
)
bug(
    "rnn_forward",
    r"With a0 = 0",
    "the first step starts from zeros instead of a0",
    {"a_next = a0": "a_next = 0 * a0"},
)
bug(
    "rnn_forward",
    r"y_pred is one time step early",
    "yt_pred stored one step back: y_pred[:, :, t - 1]",
    {"y_pred[:, :, t] = yt_pred": "y_pred[:, :, t - 1] = yt_pred"},
)
bug(
    "rnn_forward",
    r"caches\[0\] should hold 3 values, but it holds 2",
    "the loop starts at t = 1",
    {"range(T_x)": "range(1, T_x)"},
)
bug("to_batch_first", r"x_bf has shape", "the axes (1, 0, 2)", {"(1, 2, 0)": "(1, 0, 2)"})
bug(
    "to_time_major",
    r"x has shape",
    "only the last two axes swapped: (m, n_x, T_x)",
    {"(2, 0, 1)": "(0, 2, 1)"},
)

# ---------------------------------------------------------------- 05 RNN backward

bug(
    "rnn_cell_backward",
    r"With a_next = 0, your gradients\['dxt'\] is right",
    "the tanh derivative forgotten in dxt only",
    {'"dxt": parameters["Wax"].T @ dz': '"dxt": parameters["Wax"].T @ da_next'},
)
bug(
    "rnn_cell_backward",
    r"gradients\['dba'\] has shape",
    "dba summed over the examples' axis 0",
    {"dz.sum(axis=1, keepdims=True)": "dz.sum(axis=0, keepdims=True)"},
)
bug(
    "rnn_cell_backward",
    r"With a_next = 0",
    "a sign error in the tanh derivative: 1 + a_next**2",
    {"(1 - a_next**2)": "(1 + a_next**2)"},
)
bug(
    "rnn_cell_backward",
    r"dWax'\] is 0\.\d+ \(= 1/\d\) times",
    "dWax averaged over the examples",
    {'"dWax": dz @ xt.T': '"dWax": dz @ xt.T / xt.shape[1]'},
)
bug(
    "rnn_backward",
    r"dx'\] is one time step early",
    "dxt stored at dx[:, :, t - 1]",
    {'dx[:, :, t] = grads["dxt"]': 'dx[:, :, t - 1] = grads["dxt"]'},
)
bug("rnn_backward", r"dx'\] is all zeros", "dx never filled in", {'dx[:, :, t] = grads["dxt"]': "pass"})
bug(
    "rnn_backward",
    r"Wrong: gradients\['dWaa'\]; everything else is right|da\[:, :, 1:\] = 0",
    "dWaa overwritten at each step (the others summed)",
    {'dWaa += grads["dWaa"]': 'dWaa = grads["dWaa"]'},
)
bug(
    "rnn_backward",
    r"With da\[:, :, 4\] = 0",
    "the carried gradient starts at da[:, :, -1]: the last step counted twice",
    {"da_prevt = np.zeros((n_a, m), dtype=da.dtype)": "da_prevt = da[:, :, T_x - 1]"},
)
bug(
    "gradient_norms_through_time",
    None,
    "the sum of the column norms instead of the Frobenius norm",
    {"np.linalg.norm(da_t)": "np.linalg.norm(da_t, axis=0).sum()"},
)


@bug(
    "gradient_norms_through_time",
    r"Only the entry 6 of your norms is right",
    "the gradient sent back through Waa.T without the tanh derivative",
)
def gradient_norms_no_derivative(x, a0, parameters):
    T_x = x.shape[2]
    norms = np.zeros(T_x)
    da_t = np.ones_like(a0)
    for t in reversed(range(T_x)):
        norms[t] = np.linalg.norm(da_t)
        da_t = parameters["Waa"].T @ da_t
    return norms


bug(
    "clip",
    r"wrong exactly where dW\w* < 0",
    "clipped to [0, max_value]",
    {"np.clip(g, -max_value, max_value)": "np.clip(g, 0, max_value)"},
)
bug(
    "clip_by_norm",
    r"is 0\.\d+ times the expected one",
    "the global norm as the sum of the arrays' norms",
    {
        "np.sqrt(sum(np.sum(g * g) for g in gradients.values()))": (
            "sum(np.linalg.norm(g) for g in gradients.values())"
        )
    },
)
bug(
    "clip_by_norm",
    r"times the expected one",
    "the global norm without the square root",
    {"float(np.sqrt(": "float(("},
)

# ---------------------------------------------------------------- 06 LSTM and GRU

bug(
    "lstm_cell_forward",
    r"cache\[6\] \(cct\) is sigmoid of the pre-activation whose tanh",
    "the candidate with a sigmoid",
    {"cct = np.tanh(": "cct = sigmoid("},
)
bug(
    "lstm_cell_forward",
    r"Wrong: a_next, yt_pred and cache\[0\] \(a_next\); everything else",
    "a_next from the old cell state: ot * tanh(c_prev)",
    {"ot * np.tanh(c_next)": "ot * np.tanh(c_prev)"},
)
bug(
    "lstm_cell_forward",
    r"cache\[4\] \(ft\)",
    "the forget gate with the update gate's bias bi",
    {'@ concat + parameters["bf"]': '@ concat + parameters["bi"]'},
)
bug(
    "lstm_cell_forward",
    r"With (Wf|bf) = 0|cache\[4\] \(ft\)",
    "the forget gate acting on [xt; a_prev], the others on [a_prev; xt]",
    {'parameters["Wf"] @ concat': 'parameters["Wf"] @ np.concatenate([xt, a_prev])'},
)
bug(
    "lstm_forward",
    r"With a0 = 0",
    "the cell state starts at a0 instead of zeros",
    {"a_next, c_next = a0, np.zeros((n_a, m), dtype=x.dtype)": "a_next, c_next = a0, a0"},
)
bug(
    "lstm_forward",
    r"Wrong: y; everything else is right",
    "y from the cell state: softmax(Wy c + by)",
    {"y[:, :, t] = yt_pred": 'y[:, :, t] = softmax(parameters["Wy"] @ c_next + parameters["by"])'},
)
bug(
    "lstm_cell_backward",
    r"With (da_next|ot) = 0 \(or (da_next|ot) = 0\), your gradients\['dc_prev'\]",
    "dc_prev without the path through a_next: dc_next * ft",
    {'"dc_prev": dc * ft': '"dc_prev": dc_next * ft'},
)
bug(
    "lstm_cell_backward",
    r"Wrong: gradients\['dxt'\], gradients\['da_prev'\], gradients\['dWo'\] and gradients\['dbo'\]; "
    r"everything else|With (da_next|ot) = 0 \(or (da_next|ot) = 0\)",
    "the output gate's gradient with tanh(c_prev)",
    {"dot = da_next * tanh_c": "dot = da_next * np.tanh(c_prev)"},
)
bug(
    "lstm_cell_backward",
    r"gradients\['dbi'\] has shape",
    "dbi summed over axis 0",
    {"dit.sum(axis=1, keepdims=True)": "dit.sum(axis=0, keepdims=True)"},
)
bug(
    "lstm_cell_backward",
    r"Wrong: gradients\['dxt'\], gradients\['da_prev'\], gradients\['dWf'\] and gradients\['dbf'\]; "
    r"everything else|With (c_prev|ft) = 0 \(or (c_prev|ft) = 0\)",
    "a sign error in the forget gate's sigmoid derivative: ft * (1 + ft)",
    {"ft * (1 - ft)": "ft * (1 + ft)"},
)
bug(
    "lstm_backward",
    r"With da\[:, :, :2\] = 0",
    "da[:, :, t] left out: the carried gradient starts at da[:, :, -1]",
    {
        "da_prevt = np.zeros((n_a, m), dtype=da.dtype)": "da_prevt = da[:, :, T_x - 1]",
        "da[:, :, t] + da_prevt": "da_prevt",
    },
)
bug(
    "lstm_backward",
    r"dx'\] is one time step late",
    "dxt stored at dx[:, :, t + 1] (the last step twice)",
    {'dx[:, :, t] = grads["dxt"]': 'dx[:, :, min(t + 1, T_x - 1)] = grads["dxt"]'},
)
bug(
    "gru_cell_forward",
    r"cache\[5\] \(n\)",
    "the reset term added outside the tanh",
    {'parameters["bnx"] + r * hn)': 'parameters["bnx"]) + r * hn'},
)
bug(
    "gru_cell_forward",
    r"cache\[4\] \(z\)",
    "the update gate with the reset gate's weights Wr",
    {'z = sigmoid(parameters["Wz"]': 'z = sigmoid(parameters["Wr"]'},
)
bug(
    "gru_cell_forward",
    r"With bnx = 0",
    "the candidate's input bias bnx multiplied by the reset gate too",
    {'parameters["bnx"] + r * hn': 'r * (parameters["bnx"] + hn)'},
)
bug(
    "gru_forward",
    r"Wrong: y_pred; everything else is right",
    "y_pred from the previous hidden state",
    {
        "a_next, yt_pred, cache = gru_cell_forward(x[:, :, t], a_next, parameters)": (
            "a_prev = a_next\n"
            "        a_next, yt_pred, cache = gru_cell_forward(x[:, :, t], a_next, parameters)\n"
            '        yt_pred = softmax(parameters["Wy"] @ a_prev + parameters["by"])'
        )
    },
)
bug(
    "gru_cell_backward",
    r"dbna'\] holds the values of gradients\['dbnx'\]",
    "dbna summed from dn instead of dhn",
    {'"dbna": dhn.sum(': '"dbna": dn.sum('},
)
bug(
    "gru_cell_backward",
    r"With Wnx = 0, your gradients\['dxt'\] is right",
    "dxt without the candidate's term Wnx.T @ dn",
    {' + parameters["Wnx"].T @ dn': ""},
)
bug(
    "gru_backward",
    r"With z = 0",
    "the direct path da_next * z left out of da_prev",
    {
        'da_prevt = grads["da_prev"]': (
            'z = cache_list[t][4]\n        da_prevt = grads["da_prev"] - (da[:, :, t] + da_prevt) * z'
        )
    },
)
bug(
    "gru_backward",
    r"dbr'\] holds the values of gradients\['dbz'\]",
    "dbr accumulated from dbz (a copy-paste slip)",
    {"gradients[name] += grads[name]": 'gradients[name] += grads["dbz" if name == "dbr" else name]'},
)
